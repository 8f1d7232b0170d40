import Foundation

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
        }

        public let sns: [SNSTopic]
        public let cloudwatch: CloudWatchMetrics?
        public let webhooks: [Webhook]
    }
}

extension ScanConfiguration.AlarmTargets {
    static let none = Self(sns: [], cloudwatch: nil, webhooks: [])

    init(_ node: ConfigNode, partition: String, globalRegion: String) throws(ConfigurationError) {
        let object = try node.object(keys: ["sns", "cloudwatch", "webhooks"])
        var sns: [SNSTopic] = []
        for element in try object["sns"]?.array("a list of SNS topics") ?? [] {
            sns.append(try SNSTopic(element, partition: partition))
        }
        var webhooks: [Webhook] = []
        for element in try object["webhooks"]?.array("a list of webhooks") ?? [] {
            let entry = try element.object(keys: ["url"])
            webhooks.append(Webhook(url: try Self.webhookURL(entry.required("url"))))
        }
        let cloudwatch = try object["cloudwatch"].map { (node) throws(ConfigurationError) in
            try CloudWatchMetrics(node, globalRegion: globalRegion)
        }
        self.init(sns: sns, cloudwatch: cloudwatch, webhooks: webhooks)
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
