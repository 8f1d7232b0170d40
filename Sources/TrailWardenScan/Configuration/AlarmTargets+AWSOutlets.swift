extension ScanConfiguration.AlarmTargets {
    /// `alarms.securityHub`: findings imported into the scanner account's Security Hub.
    public struct SecurityHub: Sendable, Hashable {
        /// `productArn`'s region, else the configuration's `globalRegion`, unless given.
        public let region: String
        /// Nil: the account's default product, `arn:aws:securityhub:REGION:ACCOUNT:product/ACCOUNT/default`.
        public let productArn: String?
    }

    /// `alarms.eventBridge`: findings and scans put on an event bus.
    public struct EventBridge: Sendable, Hashable {
        /// A bus name or ARN; `default` unless given.
        public let eventBusName: String
        /// The bus ARN's region, else the configuration's `globalRegion`, unless given.
        public let region: String
    }
}

extension ScanConfiguration.AlarmTargets.SecurityHub {
    /// `{"region": …, "productArn": "arn:PARTITION:securityhub:REGION:ACCOUNT:product/…"}`, both optional.
    init(_ node: ConfigNode, partition: String, globalRegion: String) throws(ConfigurationError) {
        let object = try node.object(keys: ["region", "productArn"])
        let product = try object["productArn"].map { (arnNode) throws(ConfigurationError) in
            let expected = "a Security Hub product ARN like \"arn:\(partition):securityhub:us-east-1:111111111111:product/111111111111/default\""
            let parts = try ARNParts(arnNode, service: "securityhub", partition: partition, expected: expected)
            guard parts.resource.hasPrefix("product/"), parts.resource.count > 8 else { throw arnNode.mismatch(expected) }
            return parts
        }
        self.init(region: try object["region"]?.region() ?? product?.region ?? globalRegion, productArn: product?.arn)
    }
}

extension ScanConfiguration.AlarmTargets.EventBridge {
    /// `{"eventBusName": NAME or ARN, "region": …}`, both optional.
    init(_ node: ConfigNode, globalRegion: String) throws(ConfigurationError) {
        let object = try node.object(keys: ["eventBusName", "region"])
        var name = "default"
        var busRegion: String?
        if let nameNode = object["eventBusName"] {
            let expected = "an event bus name (1 to 256 letters, digits or ._-/ characters) or an event bus ARN"
            name = try nameNode.string(expected)
            if name.hasPrefix("arn:") {
                let parts = name.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 6, parts[2] == "events", ConfigFormat.isRegion(parts[3]), ConfigFormat.isAccountID(parts[4]),
                      parts[5].hasPrefix("event-bus/"), parts[5].count > 10 else { throw nameNode.mismatch(expected) }
                busRegion = parts[3]
            } else {
                guard (1...256).contains(name.count),
                      name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-/".contains($0)) }) else {
                    throw nameNode.mismatch(expected)
                }
            }
        }
        self.init(eventBusName: name, region: try object["region"]?.region() ?? busRegion ?? globalRegion)
    }
}

/// The parts of an `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE` a configuration names.
private struct ARNParts {
    let arn: String
    let region: String
    let resource: String

    init(_ node: ConfigNode, service: String, partition: String, expected: String) throws(ConfigurationError) {
        arn = try node.string(expected)
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0] == "arn", parts[2] == service, ConfigFormat.isPartition(parts[1]),
              ConfigFormat.isRegion(parts[3]), ConfigFormat.isAccountID(parts[4]) else { throw node.mismatch(expected) }
        guard parts[1] == partition else {
            throw node.error("is in the partition \"\(parts[1])\", but the configuration's partition is \"\(partition)\"")
        }
        region = parts[3]
        resource = parts[5]
    }
}
