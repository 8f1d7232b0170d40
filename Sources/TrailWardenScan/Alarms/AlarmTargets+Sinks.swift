import Foundation
import TrailWardenAlarms
import TrailWardenAWS

extension ScanConfiguration.AlarmTargets {
    /// Every configured target as a sink: SNS topics, CloudWatch, Security Hub and
    /// EventBridge through AWS with the scanner's own credentials (the security
    /// account), webhooks over its HTTP client. Security Hub is two sinks, new
    /// findings and resolutions (`SecurityHubAlarmSink`).
    public func sinks(transport: AWSTransport) -> [any AlarmSink] {
        var sinks: [any AlarmSink] = sns.map { topic in
            SNSAlarmSink(client: SNSClient(transport: transport, region: topic.region), topicARN: topic.topicArn)
        }
        if let cloudwatch {
            sinks.append(CloudWatchAlarmSink(client: CloudWatchClient(transport: transport, region: cloudwatch.region),
                                             namespace: cloudwatch.namespace, region: cloudwatch.region))
        }
        sinks += webhooks.map { WebhookAlarmSink(http: transport.http, url: $0.url, signing: $0.secret.map(WebhookSigning.init)) }
        if let securityHub {
            let client = SecurityHubClient(transport: transport, region: securityHub.region)
            let account = Self.callerAccount(transport: transport, region: securityHub.region)
            for announcement in [SecurityHubAlarmSink.Announcement.findings, .resolutions] {
                sinks.append(SecurityHubAlarmSink(client: client, productArn: securityHub.productArn, announcement: announcement,
                                                  importingAccount: account))
            }
        }
        if let eventBridge {
            sinks.append(EventBridgeAlarmSink(client: EventBridgeClient(transport: transport, region: eventBridge.region),
                                              eventBusName: eventBridge.eventBusName, region: eventBridge.region))
        }
        return sinks
    }

    public var isEmpty: Bool { sns.isEmpty && cloudwatch == nil && webhooks.isEmpty && securityHub == nil && eventBridge == nil }

    /// The scanner's own account, from STS GetCallerIdentity with the transport's credentials.
    private static func callerAccount(transport: AWSTransport, region: String) -> @Sendable () async throws -> String {
        { [transport] in
            let sts = STSClient(http: transport.http, region: region, endpoint: transport.endpoint(service: "sts", region: region),
                                retry: transport.retry)
            return try await sts.getCallerIdentity(credentials: try await transport.credentials.credentials()).account
        }
    }
}
