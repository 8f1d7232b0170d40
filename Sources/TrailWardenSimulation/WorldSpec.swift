import Foundation
import TrailWardenCore
import TrailWardenVocabulary

/// The ways `simulate` can tamper with a world, each one something an attacker
/// (or an accident) can do to a CloudTrail bucket.
public enum TamperKind: String, Sendable, CaseIterable, Codable {
    case logModify = "log-modify"
    case logDelete = "log-delete"
    case logCorrupt = "log-corrupt"
    case logAppendMember = "log-append-member"
    case logInject = "log-inject"
    case digestModify = "digest-modify"
    case digestDelete = "digest-delete"
    case digestCorrupt = "digest-corrupt"
    case digestsDeleteRun = "digests-delete-run"
    case digestMove = "digest-move"
    case digestCopy = "digest-copy"
    case digestUnknownKey = "digest-unknown-key"
    case digestUnsigned = "digest-unsigned"
    /// A digest, validly signed, whose previousDigestHashValue is false.
    case linkBreak = "link-break"
}

/// What world to build. The same spec always builds the same bytes.
public struct WorldSpec: Sendable {
    public var accounts: Int
    public var regions: [String]
    public var hours: Int
    public var logsPerDigest: Int
    /// When set, the accounts' logs come from one organization trail.
    public var organizationID: String?
    /// With an organization trail, every account also has a trail of its own.
    public var accountTrails: Bool
    public var tampers: [TamperKind]
    public var seed: UInt64
    /// The first digest period starts within the hour after this time.
    public var start: Date
    /// The first account's id; the others follow 111,111 apart. Distinct ids
    /// keep worlds that share an emulator apart, since bucket names follow them.
    public var firstAccount: UInt64
    /// How many accounts, the last ones, are large: a skewed organization, where one
    /// account holds most of the objects, as a busy production account does.
    public var largeAccounts: Int
    /// How many times `logsPerDigest` a large account's chains have.
    public var largeFactor: Int

    public init(accounts: Int = 3, regions: [String] = ["us-east-1", "eu-west-1"], hours: Int = 48, logsPerDigest: Int = 20,
                organizationID: String? = nil, accountTrails: Bool = false, tampers: [TamperKind] = [], seed: UInt64 = 1,
                start: Date = CloudTrailTime.parse("2026-01-01T00:00:00Z")!, firstAccount: UInt64 = 100_000_000_001,
                largeAccounts: Int = 0, largeFactor: Int = 1) {
        self.accounts = accounts
        self.regions = regions
        self.hours = hours
        self.logsPerDigest = logsPerDigest
        self.organizationID = organizationID
        self.accountTrails = accountTrails
        self.tampers = tampers
        self.seed = seed
        self.start = start
        self.firstAccount = firstAccount
        self.largeAccounts = largeAccounts
        self.largeFactor = largeFactor
    }

    /// Whether the account at `index` (in order of id) is one of the large ones.
    func isLarge(accountIndex index: Int) -> Bool { largeAccounts > 0 && index >= accounts - largeAccounts }

    /// Log files per digest of the account at `index`, outside the empty hours.
    func logsPerDigest(accountIndex index: Int) -> Int { isLarge(accountIndex: index) ? logsPerDigest * largeFactor : logsPerDigest }

    /// AWS's form of an organization id: `o-` and 10 to 32 lower-case letters or digits.
    static func isOrganizationID(_ text: String) -> Bool {
        let body = text.dropFirst(2)
        return text.hasPrefix("o-") && (10...32).contains(body.count) && body.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) }
    }

    /// Problems with the spec, worded for a command line.
    public func validationErrors() -> [String] {
        var errors = [String]()
        if !(1...1000).contains(accounts) { errors.append("--accounts must be between 1 and 1000") }
        if firstAccount < 1 || firstAccount + UInt64(accounts) * 111_111 > 999_999_999_999 {
            errors.append("--first-account leaves no room for \(accounts) 12-digit account ids")
        }
        if regions.isEmpty || regions.contains(where: { $0.isEmpty || $0.contains("/") || $0.contains("_") }) {
            errors.append("--regions must name one or more regions")
        }
        if !(12...24 * 366).contains(hours) { errors.append("--hours must be between 12 and 8784") }
        if !(0...10_000).contains(logsPerDigest) { errors.append("--logs-per-digest must be between 0 and 10000") }
        if !(0...accounts).contains(largeAccounts) { errors.append("--large-accounts must be between 0 and --accounts (\(accounts))") }
        if largeAccounts > 0, !(2...1000).contains(largeFactor) { errors.append("--large-factor must be between 2 and 1000") }
        if largeAccounts > 0, (2...1000).contains(largeFactor), logsPerDigest * largeFactor > 10_000 {
            errors.append("--logs-per-digest × --large-factor must be 10000 or less, not \(logsPerDigest * largeFactor)")
        }
        if let organizationID, !Self.isOrganizationID(organizationID) {
            errors.append("--org-id must be an organization id like o-a1b2c3d4e5 (o- and 10 to 32 lower-case letters or digits)")
        }
        return errors
    }
}

/// A finding a correct validator must report for a chain.
public struct ExpectedFinding: Sendable, Codable, Hashable {
    /// The finding kind, as `ValidationEvent.kind` names it.
    public var kind: FindingKind
    /// `s3://bucket/key` of the object the line names.
    public var object: String
    public var tamper: TamperKind
    /// Whether `aws cloudtrail validate-logs` reports it too.
    public var reportedByReference: Bool
    /// Whether it is reported only with `--check-unreferenced`.
    public var needsCheckUnreferenced: Bool
    /// For `digests-missing`: how many more digests are missing.
    public var count: Int?
}

/// One chain of the world, with what validating it must find.
public struct WorldChain: Sendable, Codable {
    public var trailARN: String
    public var chain: DigestChain
    public var isOrganizationTrail: Bool
    public var expectedFindings: [ExpectedFinding]
}

/// The manifest `simulate` writes beside the world: how to validate it and
/// what must be found.
public struct WorldManifest: Sendable, Codable {
    public static let fileName = "trailwarden-world.json"
    public static let publicKeysFileName = "public-keys.json"

    public var seed: UInt64
    public var start: Date
    public var end: Date
    public var tampers: [TamperKind]
    /// The large accounts of a skewed world (`WorldSpec.largeAccounts`), and their factor;
    /// absent from a world without them, whose manifest stays as it was.
    public var largeAccounts: [String]?
    public var largeFactor: Int?
    public var chains: [WorldChain]

    public static func load(from root: URL) throws -> WorldManifest {
        let data = try Data(contentsOf: root.appendingPathComponent(fileName))
        return try decoder.decode(WorldManifest.self, from: data)
    }

    public func encoded() throws -> Data { try Self.encoder.encode(self) }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
