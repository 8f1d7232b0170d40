extension ScanConfiguration {
    /// Whether and where to list the organization's accounts (Organizations
    /// `ListAccounts`), which only the management account or a delegated
    /// administrator may call.
    public struct OrganizationSource: Sendable, Hashable {
        public let discover: Bool
        /// The account `ListAccounts` is called in; nil means with the scanner's
        /// own credentials (the scanner runs in a delegated administrator).
        public let managementAccountId: String?
        /// The role assumed in `managementAccountId` to list accounts; nil means
        /// call directly with the scanner's own credentials.
        public let role: RoleSpec?

        /// The role ARN to assume before `ListAccounts`, if any.
        public func readerRoleARN(partition: String) -> String? {
            role.map { $0.roleARN(account: managementAccountId ?? "", partition: partition) }
        }
    }

    /// Accounts named in the file: scanned in addition to the discovered ones
    /// (or alone when discovery is off), and accounts never scanned.
    public struct AccountSelection: Sendable, Hashable {
        public let include: [String]
        /// Wins over discovery, `include` and explicit trails; a suspended
        /// account need not be listed here, the scan skips and reports it.
        public let exclude: [String]
    }
}

extension ScanConfiguration.OrganizationSource {
    static let none = Self(discover: false, managementAccountId: nil, role: nil)

    /// `discover` defaults to true: writing the section means wanting discovery.
    init(_ node: ConfigNode, partition: String) throws(ConfigurationError) {
        let object = try node.object(keys: ["discover", "managementAccountId", "role"])
        let discover = try object["discover"]?.bool() ?? true
        let management = try object["managementAccountId"]?.accountID()
        var role: ScanConfiguration.RoleSpec?
        if let roleNode = object["role"] {
            let spec = try ScanConfiguration.RoleSpec(roleNode, over: nil, partition: partition)
            guard management != nil || !spec.needsAccount else {
                throw roleNode.error("needs organization.managementAccountId to say which account it is in (or give a full role ARN)")
            }
            role = spec
        }
        self.init(discover: discover, managementAccountId: management, role: role)
    }
}

extension ScanConfiguration.AccountSelection {
    static let none = Self(include: [], exclude: [])

    init(_ node: ConfigNode) throws(ConfigurationError) {
        let object = try node.object(keys: ["include", "exclude"])
        let include = try object["include"]?.accountIDs() ?? []
        let exclude = try object["exclude"]?.accountIDs() ?? []
        if let both = include.first(where: exclude.contains) {
            throw node.error("lists \(both) in both \"include\" and \"exclude\"")
        }
        self.init(include: include, exclude: exclude)
    }
}
