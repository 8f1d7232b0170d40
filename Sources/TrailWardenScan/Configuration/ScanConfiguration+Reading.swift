extension ScanConfiguration {
    static let keys = ["partition", "globalRegion", "organization", "accounts", "roles", "trails", "regions",
                       "buckets", "limits", "state", "firstScanLookbackDays", "alarms", "shards"]

    /// Where partition-wide calls go when `globalRegion` is not given.
    static let globalRegions = ["aws": "us-east-1", "aws-cn": "cn-north-1", "aws-us-gov": "us-gov-west-1"]

    /// Reads the document; the partition comes first because ARNs are checked against it.
    init(_ root: ConfigNode) throws(ConfigurationError) {
        let object = try root.object(keys: Self.keys)
        let partition = try Self.partition(object["partition"])
        let globalRegion: String
        if let node = object["globalRegion"] {
            globalRegion = try node.region()
        } else if let known = Self.globalRegions[partition] {
            globalRegion = known
        } else {
            throw root.error("needs \"globalRegion\" for the partition \"\(partition)\"")
        }
        let organization = try object["organization"].map { (node) throws(ConfigurationError) in
            try OrganizationSource(node, partition: partition)
        } ?? .none
        let accounts = try object["accounts"].map { (node) throws(ConfigurationError) in try AccountSelection(node) } ?? .none
        let trails = try object["trails"].map { (node) throws(ConfigurationError) in
            try TrailSelection(node, partition: partition)
        } ?? .discovered
        guard organization.discover || !accounts.include.isEmpty || !trails.explicit.isEmpty else {
            throw root.error("names no accounts to scan: set organization.discover to true, list accounts in accounts.include, or list trails in trails.explicit")
        }
        let (defaultRole, overrides) = try Self.roles(object.required("roles"), partition: partition)
        let state = try object["state"].map { (node) throws(ConfigurationError) -> String in
            let path = try node.string("a file path")
            guard !path.isEmpty else { throw node.mismatch("a file path") }
            return path
        }
        self.init(
            organization: organization,
            accounts: accounts,
            defaultRole: defaultRole,
            roleOverrides: overrides,
            trails: trails,
            regions: try object["regions"].map { (node) throws(ConfigurationError) in try RegionSelection(node) } ?? .discover,
            buckets: try object["buckets"].map { (node) throws(ConfigurationError) in
                try BucketAccess.map(node, partition: partition)
            } ?? [:],
            limits: try object["limits"].map { (node) throws(ConfigurationError) in try Limits(node) } ?? .standard,
            statePath: state ?? Self.defaultStatePath,
            firstScanLookbackDays: try object["firstScanLookbackDays"]?.integer(in: 1...3650) ?? Self.defaultFirstScanLookbackDays,
            alarms: try object["alarms"].map { (node) throws(ConfigurationError) in
                try AlarmTargets(node, partition: partition, globalRegion: globalRegion)
            } ?? .none,
            partition: partition,
            globalRegion: globalRegion)
        shards = try object["shards"]?.integer(in: 1...ShardAssignment.maximumCount)
    }

    private static func partition(_ node: ConfigNode?) throws(ConfigurationError) -> String {
        guard let node else { return defaultPartition }
        let text = try node.string("a partition like \"aws\"")
        guard ConfigFormat.isPartition(text) else { throw node.mismatch("a partition like \"aws\", \"aws-cn\" or \"aws-us-gov\"") }
        return text
    }

    /// `roles`: `default` (required) and `accounts`, account id → override.
    private static func roles(_ node: ConfigNode, partition: String) throws(ConfigurationError) -> (RoleSpec, [String: RoleSpec]) {
        let object = try node.object(keys: ["default", "accounts"])
        let defaultRole = try RoleSpec(object.required("default"), over: nil, partition: partition)
        var overrides: [String: RoleSpec] = [:]
        for (account, entry) in try object["accounts"]?.map() ?? [] {
            guard ConfigFormat.isAccountID(account) else { throw entry.error("is not a 12-digit account id") }
            overrides[account] = try RoleSpec(entry, over: defaultRole, partition: partition)
        }
        return (defaultRole, overrides)
    }
}
