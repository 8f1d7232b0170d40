import Foundation
import TrailWardenCore

/// How to enter an account: the role to assume there.
public struct RoleTarget: Sendable, Hashable {
    public var roleARN: String
    public var externalID: String?
    public var sessionName: String
    public var durationSeconds: Int

    public init(roleARN: String, externalID: String? = nil, sessionName: String = "trailwarden", durationSeconds: Int = 3600) {
        self.roleARN = roleARN
        self.externalID = externalID
        self.sessionName = sessionName
        self.durationSeconds = durationSeconds
    }
}

/// A trail named in the configuration rather than discovered.
public struct PlannedTrail: Sendable, Hashable {
    public var arn: TrailARN
    public var bucket: String?
    public var prefix: String?
    public var organizationID: String?
    public var regions: [String]?

    public init(arn: TrailARN, bucket: String? = nil, prefix: String? = nil, organizationID: String? = nil, regions: [String]? = nil) {
        self.arn = arn
        self.bucket = bucket
        self.prefix = prefix
        self.organizationID = organizationID
        self.regions = regions
    }
}

/// Everything a scan needs to know, resolved from the configuration file and
/// the command line: the coordinator's whole input, so that it can be
/// exercised without either.
public struct ScanPlan: Sendable {
    /// Discover accounts through Organizations ListAccounts, entering the
    /// management (or delegated administrator) account through this role, or
    /// with the caller's own credentials when nil.
    public var discoverAccounts: Bool
    public var organizationRole: RoleTarget?
    /// Accounts scanned besides (or instead of) discovered ones.
    public var includeAccounts: [String]
    public var excludeAccounts: Set<String>
    /// `--account`: only these, when not empty.
    public var onlyAccounts: Set<String>
    /// The role to assume in each account.
    public var role: @Sendable (String) -> RoleTarget
    public var discoverTrails: Bool
    public var explicitTrails: [PlannedTrail]
    /// Source regions to validate for multi-region trails; nil: every region with a digest folder.
    public var regions: [String]?
    /// Regions asked for trails when `regions` is nil.
    public var discoveryRegions: [String]
    /// `--region`: only these source regions, when not empty.
    public var onlyRegions: Set<String>
    /// Buckets read through a role of their own (a log-archive account).
    public var bucketRoles: [String: RoleTarget]
    /// Chains validated at once, and accounts entered at once.
    public var accountsInParallel: Int
    /// Object-store requests in flight for the whole scan (`--max-requests`), shared fairly by the accounts.
    public var requestsInFlight: Int
    /// Requests in flight for one account, across all its chains.
    public var requestsPerAccount: Int
    /// How far back a chain with no checkpoint starts.
    public var firstScanLookback: TimeInterval
    /// `--full` or `--since`: start here regardless of checkpoints.
    public var since: Date?
    public var until: Date?
    /// The region of calls that name none (STS, Organizations, ListPublicKeys discovery).
    public var defaultRegion: String
    /// The configuration file's SHA-256, recorded with the run; nil without a file.
    public var configurationSHA256: String?
    /// `--shard`: scan only the chains, posture and errors of the accounts this shard owns.
    public var shard: ShardAssignment?

    public init(discoverAccounts: Bool = false, organizationRole: RoleTarget? = nil, includeAccounts: [String] = [],
                excludeAccounts: Set<String> = [], onlyAccounts: Set<String> = [], role: @escaping @Sendable (String) -> RoleTarget,
                discoverTrails: Bool = true, explicitTrails: [PlannedTrail] = [], regions: [String]? = nil,
                discoveryRegions: [String] = ["us-east-1"], onlyRegions: Set<String> = [], bucketRoles: [String: RoleTarget] = [:],
                accountsInParallel: Int = 8, requestsInFlight: Int = 64, requestsPerAccount: Int = 16, firstScanLookback: TimeInterval = 7 * 86400,
                since: Date? = nil, until: Date? = nil, defaultRegion: String = "us-east-1") {
        self.discoverAccounts = discoverAccounts
        self.organizationRole = organizationRole
        self.includeAccounts = includeAccounts
        self.excludeAccounts = excludeAccounts
        self.onlyAccounts = onlyAccounts
        self.role = role
        self.discoverTrails = discoverTrails
        self.explicitTrails = explicitTrails
        self.regions = regions
        self.discoveryRegions = discoveryRegions
        self.onlyRegions = onlyRegions
        self.bucketRoles = bucketRoles
        self.accountsInParallel = accountsInParallel
        self.requestsInFlight = requestsInFlight
        self.requestsPerAccount = requestsPerAccount
        self.firstScanLookback = firstScanLookback
        self.since = since
        self.until = until
        self.defaultRegion = defaultRegion
    }
}

extension ScanPlan {
    /// Whether this scan records `account`: always, unless it is one shard of a sharded scan.
    func owns(_ account: String) -> Bool { shard?.owns(account) ?? true }
}
