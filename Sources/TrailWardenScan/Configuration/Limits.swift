extension ScanConfiguration {
    /// How hard a scan pushes AWS and the host. One organization-wide cap keeps
    /// the host's sockets and memory bounded; the per-account cap keeps one large
    /// account from starving the others and from meeting S3's per-prefix throttling.
    public struct Limits: Sendable, Hashable {
        public static let defaultRequestsInFlight = 64
        public static let defaultAccountsInParallel = 8
        public static let defaultRequestsPerAccount = 16

        /// Requests in flight across the whole scan.
        public let requestsInFlight: Int
        /// Accounts scanned at the same time.
        public let accountsInParallel: Int
        /// Requests in flight for one account; never more than `requestsInFlight`.
        public let requestsPerAccount: Int
    }
}

extension ScanConfiguration.Limits {
    static let standard = Self(requestsInFlight: defaultRequestsInFlight, accountsInParallel: defaultAccountsInParallel,
                               requestsPerAccount: defaultRequestsPerAccount)

    /// A per-account default larger than a configured total is lowered to it;
    /// only an explicit contradiction is an error.
    init(_ node: ConfigNode) throws(ConfigurationError) {
        let object = try node.object(keys: ["requestsInFlight", "accountsInParallel", "requestsPerAccount"])
        let inFlight = try object["requestsInFlight"]?.integer(in: 1...1024) ?? Self.defaultRequestsInFlight
        let accounts = try object["accountsInParallel"]?.integer(in: 1...256) ?? Self.defaultAccountsInParallel
        var perAccount = min(Self.defaultRequestsPerAccount, inFlight)
        if let perAccountNode = object["requestsPerAccount"] {
            perAccount = try perAccountNode.integer(in: 1...1024)
            guard perAccount <= inFlight else {
                throw perAccountNode.error("(\(perAccount)) cannot exceed limits.requestsInFlight (\(inFlight))")
            }
        }
        self.init(requestsInFlight: inFlight, accountsInParallel: accounts, requestsPerAccount: perAccount)
    }
}
