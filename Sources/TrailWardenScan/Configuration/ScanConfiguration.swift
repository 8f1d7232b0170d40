import Foundation
import TrailWardenCrypto

/// What a nightly organization scan covers and how: which accounts, the roles
/// to enter them, where their trails' logs are, how hard to push, where state
/// lives and whom to alarm.
///
/// Read from a JSON file (`accounts.json`, documented in docs/config.md) and
/// checked in full before any AWS call: a wrong, unknown or missing key is a
/// `ConfigurationError` naming the file and the key's JSON path, so a broken
/// file fails in a second instead of an hour into a scan. Plain values, so the
/// scan's tasks can share one freely.
public struct ScanConfiguration: Sendable, Hashable {
    public static let defaultStatePath = "trailwarden.sqlite"
    public static let defaultFirstScanLookbackDays = 7
    public static let defaultPartition = "aws"

    public let organization: OrganizationSource
    public let accounts: AccountSelection
    /// The role assumed in every scanned account unless `roleOverrides` has one.
    public let defaultRole: RoleSpec
    /// Per-account roles, already merged over `defaultRole`.
    public let roleOverrides: [String: RoleSpec]
    public let trails: TrailSelection
    public let regions: RegionSelection
    /// Buckets read through a role in their own account, by bucket name.
    public let buckets: [String: BucketAccess]
    public let limits: Limits
    /// The SQLite file holding checkpoints and findings, relative to the working directory.
    public let statePath: String
    /// How many days before now a trail's first scan starts; later scans resume from state.
    public let firstScanLookbackDays: Int
    public let alarms: AlarmTargets
    /// The partition of every ARN TrailWarden forms (`aws`, `aws-cn`, `aws-us-gov`).
    public let partition: String
    /// Where partition-wide calls go (Organizations, STS, the default for CloudWatch).
    public let globalRegion: String
    /// SHA-256 (lower-case hex) of the bytes this configuration was read from, recorded
    /// with each run so a report can name the exact file; nil when built in code.
    public internal(set) var sha256: String?
    /// `shards`: how many shards `scan --shard auto` splits the organization into, unless `--shard-count` says.
    public var shards: Int? = nil

    /// The role to assume in `account`: its override, or the default.
    public func role(for account: String) -> RoleSpec {
        roleOverrides[account] ?? defaultRole
    }

    /// Whether `account`, however it was found, is to be scanned: never if
    /// excluded; otherwise if discovery is on, it is listed, it owns a listed
    /// trail, or a listed organization trail may hold logs from any member.
    public func includes(account: String) -> Bool {
        guard !accounts.exclude.contains(account) else { return false }
        return organization.discover || accounts.include.contains(account)
            || trails.explicit.contains { $0.arn.accountID == account || $0.organizationId != nil }
    }

    /// Accounts the file itself names for scanning (the include list, then the
    /// listed trails' home accounts), without repeats or excluded accounts;
    /// discovery adds to these.
    public var namedAccounts: [String] {
        var result: [String] = []
        for account in accounts.include + trails.explicit.map(\.arn.accountID)
        where !result.contains(account) && !accounts.exclude.contains(account) {
            result.append(account)
        }
        return result
    }

    /// Reads and checks the file at `path`; errors name the file as `path` was given.
    public static func load(path: String) throws(ConfigurationError) -> ScanConfiguration {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigurationError(file: path, path: nil, message: "the file does not exist")
        }
        guard !isDirectory.boolValue else { throw ConfigurationError(file: path, path: nil, message: "is a directory, not a file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(file: path, path: nil, message: "the file cannot be read")
        }
        return try parse(data, file: path)
    }

    /// Checks a configuration held in memory; `file` is the name errors start with.
    public static func parse(_ data: Data, file: String) throws(ConfigurationError) -> ScanConfiguration {
        let bytes = [UInt8](data)
        guard bytes.contains(where: { ![0x20, 0x0A, 0x0D, 0x09, 0xEF, 0xBB, 0xBF].contains($0) }) else {
            throw ConfigurationError(file: file, path: nil, message: "the file is empty; it must hold a JSON object")
        }
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw ConfigurationError(file: file, path: nil,
                                     message: "invalid JSON at line \(error.line), column \(error.column): \(error.message)")
        }
        var configuration = try ScanConfiguration(ConfigNode(value: document, path: "", file: file))
        configuration.sha256 = Digests.sha256Hex(bytes)
        return configuration
    }
}
