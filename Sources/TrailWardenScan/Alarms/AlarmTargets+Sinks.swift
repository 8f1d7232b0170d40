import Foundation
import TrailWardenAlarms
import TrailWardenAWS

extension ScanConfiguration.AlarmTargets {
    /// Every configured target as a sink: SNS topics and CloudWatch through AWS with
    /// the scanner's own credentials (the security account), webhooks over its HTTP client.
    public func sinks(transport: AWSTransport) -> [any AlarmSink] {
        var sinks: [any AlarmSink] = sns.map { topic in
            SNSAlarmSink(client: SNSClient(transport: transport, region: topic.region), topicARN: topic.topicArn)
        }
        if let cloudwatch {
            sinks.append(CloudWatchAlarmSink(client: CloudWatchClient(transport: transport, region: cloudwatch.region),
                                             namespace: cloudwatch.namespace, region: cloudwatch.region))
        }
        sinks += webhooks.map { WebhookAlarmSink(http: transport.http, url: $0.url) }
        return sinks
    }

    public var isEmpty: Bool { sns.isEmpty && cloudwatch == nil && webhooks.isEmpty }
}
