import Foundation
import TrailWardenAlarms

extension ScanConfiguration {
    /// Where findings are announced (see `AlarmDispatcher`). Checked when the
    /// configuration is read, so a broken target fails the first run rather than
    /// the first finding.
    public struct AlarmTargets: Sendable, Hashable {
        public struct SNSTopic: Sendable, Hashable {
            public let topicArn: String
            /// The topic's region unless given.
            public let region: String
        }

        public struct CloudWatchMetrics: Sendable, Hashable {
            public let namespace: String
            /// The configuration's `globalRegion` unless given.
            public let region: String
        }

        public struct Webhook: Sendable, Hashable {
            /// `https://…`, or `http://127.0.0.1…` for tests: findings never leave
            /// the host unencrypted.
            public let url: URL
            /// Where the signing secret is (`secretEnv` or `secretFile`), read at every delivery;
            /// nil: POSTs are not signed.
            public let secret: WebhookSigning.SecretSource?
        }

        public let sns: [SNSTopic]
        public let cloudwatch: CloudWatchMetrics?
        public let webhooks: [Webhook]
        public let securityHub: SecurityHub?
        public let eventBridge: EventBridge?
    }
}

extension ScanConfiguration.AlarmTargets {
    static let none = Self(sns: [], cloudwatch: nil, webhooks: [], securityHub: nil, eventBridge: nil)

    init(_ node: ConfigNode, partition: String, globalRegion: String) throws(ConfigurationError) {
        let object = try node.object(keys: ["sns", "cloudwatch", "webhooks", "securityHub", "eventBridge"])
        var sns: [SNSTopic] = []
        for element in try object["sns"]?.array("a list of SNS topics") ?? [] {
            sns.append(try SNSTopic(element, partition: partition))
        }
        var webhooks: [Webhook] = []
        for element in try object["webhooks"]?.array("a list of webhooks") ?? [] {
            let entry = try element.object(keys: ["url", "secretEnv", "secretFile"])
            webhooks.append(Webhook(url: try Self.webhookURL(entry.required("url")), secret: try Self.webhookSecret(entry)))
        }
        let cloudwatch = try object["cloudwatch"].map { (node) throws(ConfigurationError) in
            try CloudWatchMetrics(node, globalRegion: globalRegion)
        }
        self.init(sns: sns, cloudwatch: cloudwatch, webhooks: webhooks,
                  securityHub: try object["securityHub"].map { (node) throws(ConfigurationError) in
                      try SecurityHub(node, partition: partition, globalRegion: globalRegion)
                  },
                  eventBridge: try object["eventBridge"].map { (node) throws(ConfigurationError) in
                      try EventBridge(node, globalRegion: globalRegion)
                  })
    }

    /// `secretEnv` (an environment variable's name) or `secretFile` (a path), not both.
    private static func webhookSecret(_ entry: ConfigObject) throws(ConfigurationError) -> WebhookSigning.SecretSource? {
        switch (entry["secretEnv"], entry["secretFile"]) {
        case (nil, nil):
            return nil
        case (let env?, nil):
            let expected = "an environment variable's name (letters, digits and _, not starting with a digit)"
            let name = try env.string(expected)
            guard let first = name.first, !first.isNumber,
                  name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else { throw env.mismatch(expected) }
            return .environment(name)
        case (nil, let file?):
            let path = try file.string("a file path")
            guard !path.isEmpty else { throw file.mismatch("a file path") }
            return .file(path)
        case (_?, let file?):
            throw file.error("cannot be given with secretEnv: name one place for the signing secret")
        }
    }

    private static func webhookURL(_ node: ConfigNode) throws(ConfigurationError) -> URL {
        let expected = "an https:// URL (or http://127.0.0.1 for tests)"
        guard let url = URL(string: try node.string(expected)), let host = url.host, !host.isEmpty,
              url.scheme == "https" || (url.scheme == "http" && host == "127.0.0.1") else {
            throw node.mismatch(expected)
        }
        return url
    }
}

extension ScanConfiguration.AlarmTargets.SNSTopic {
    /// `arn:PARTITION:sns:REGION:ACCOUNT:NAME`.
    init(_ node: ConfigNode, partition: String) throws(ConfigurationError) {
        let object = try node.object(keys: ["topicArn", "region"])
        let arnNode = try object.required("topicArn")
        let expected = "an SNS topic ARN like \"arn:\(partition):sns:us-east-1:111111111111:NAME\""
        let arn = try arnNode.string(expected)
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "sns", ConfigFormat.isPartition(parts[1]),
              ConfigFormat.isRegion(parts[3]), ConfigFormat.isAccountID(parts[4]),
              ConfigFormat.isIAMText(parts[5], length: 1...256) else { throw arnNode.mismatch(expected) }
        guard parts[1] == partition else {
            throw arnNode.error("is in the partition \"\(parts[1])\", but the configuration's partition is \"\(partition)\"")
        }
        self.init(topicArn: arn, region: try object["region"]?.region() ?? parts[3])
    }
}

extension ScanConfiguration.AlarmTargets.CloudWatchMetrics {
    init(_ node: ConfigNode, globalRegion: String) throws(ConfigurationError) {
        let object = try node.object(keys: ["namespace", "region"])
        let namespaceNode = try object.required("namespace")
        let expected = "a CloudWatch namespace (1 to 255 letters, digits or .-_/#: characters, not starting with \"AWS/\")"
        let namespace = try namespaceNode.string(expected)
        guard (1...255).contains(namespace.count), !namespace.hasPrefix("AWS/"),
              namespace.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || ".-_/#:".contains($0) }) else {
            throw namespaceNode.mismatch(expected)
        }
        self.init(namespace: namespace, region: try object["region"]?.region() ?? globalRegion)
    }
}
