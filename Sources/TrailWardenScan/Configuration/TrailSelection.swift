import TrailWardenCore

extension ScanConfiguration {
    /// Which trails to validate: those `DescribeTrails` (with shadow trails)
    /// finds in each account and region, those listed, or both.
    public struct TrailSelection: Sendable, Hashable {
        public let discover: Bool
        public let explicit: [ExplicitTrail]
    }

    /// A trail named in the file, for when discovery is not possible or not
    /// wanted (an organization trail read only from its log-archive bucket).
    public struct ExplicitTrail: Sendable, Hashable {
        public let arn: TrailARN
        /// Nil: found through `DescribeTrails` in the trail's home account.
        public let bucket: String?
        /// The S3 key prefix; nil for none (or, without `bucket`, as described).
        public let prefix: String?
        /// Set for an organization trail, whose digests are under `AWSLogs/{organizationId}/{account}/`.
        public let organizationId: String?
        /// Nil: the configuration's `regions`.
        public let regions: RegionSelection?
    }

    /// The regions whose digest chains are validated.
    public enum RegionSelection: Sendable, Hashable {
        case list([String])
        /// Every region with a digest folder in the trail's bucket: nothing is
        /// missed when a region is enabled later.
        case discover
    }
}

extension ScanConfiguration.TrailSelection {
    static let discovered = Self(discover: true, explicit: [])

    /// `discover` defaults to true only when no trail is listed: listing trails
    /// usually means "these", and asking for both stays one key away.
    init(_ node: ConfigNode, partition: String) throws(ConfigurationError) {
        let object = try node.object(keys: ["discover", "explicit"])
        var explicit: [ScanConfiguration.ExplicitTrail] = []
        for element in try object["explicit"]?.array("a list of trails") ?? [] {
            let trail = try ScanConfiguration.ExplicitTrail(element, partition: partition)
            guard !explicit.contains(where: { $0.arn == trail.arn }) else { throw element.error("repeats the trail \(trail.arn)") }
            explicit.append(trail)
        }
        let discover = try object["discover"]?.bool() ?? explicit.isEmpty
        guard discover || !explicit.isEmpty else {
            throw node.error("neither discovers trails nor lists any: set \"discover\" to true or list trails in \"explicit\"")
        }
        self.init(discover: discover, explicit: explicit)
    }
}

extension ScanConfiguration.ExplicitTrail {
    init(_ node: ConfigNode, partition: String) throws(ConfigurationError) {
        let object = try node.object(keys: ["arn", "bucket", "prefix", "organizationId", "regions"])
        let arnNode = try object.required("arn")
        let expected = "a trail ARN like \"arn:\(partition):cloudtrail:us-east-1:111111111111:trail/NAME\""
        guard let arn = TrailARN(try arnNode.string(expected)), ConfigFormat.isRegion(arn.region) else {
            throw arnNode.mismatch(expected)
        }
        guard arn.partition == partition else {
            throw arnNode.error("is in the partition \"\(arn.partition)\", but the configuration's partition is \"\(partition)\"")
        }
        let prefix = try object["prefix"].map { (node) throws(ConfigurationError) -> String in
            let text = try node.string("an S3 key prefix")
            guard !text.isEmpty, !text.hasPrefix("/"), !text.hasSuffix("/") else {
                throw node.mismatch("an S3 key prefix without a leading or trailing \"/\" (leave it out for none)")
            }
            return text
        }
        let organizationId = try object["organizationId"].map { (node) throws(ConfigurationError) -> String in
            let text = try node.string("an organization id like \"o-a1b2c3d4e5\"")
            guard ConfigFormat.isOrganizationID(text) else { throw node.mismatch("an organization id like \"o-a1b2c3d4e5\"") }
            return text
        }
        self.init(arn: arn, bucket: try object["bucket"]?.bucketName(), prefix: prefix,
                  organizationId: organizationId,
                  regions: try object["regions"].map { (node) throws(ConfigurationError) in try ScanConfiguration.RegionSelection(node) })
    }
}

extension ScanConfiguration.RegionSelection {
    init(_ node: ConfigNode) throws(ConfigurationError) {
        let expected = "a list of regions or \"discover\""
        if case .string("discover") = node.value {
            self = .discover
            return
        }
        guard case .array = node.value else { throw node.mismatch(expected) }
        var regions: [String] = []
        for element in try node.array(expected) {
            let region = try element.region()
            guard !regions.contains(region) else { throw element.error("repeats the region \(region)") }
            regions.append(region)
        }
        guard !regions.isEmpty else { throw node.mismatch("a non-empty list of regions or \"discover\"") }
        self = .list(regions)
    }
}
