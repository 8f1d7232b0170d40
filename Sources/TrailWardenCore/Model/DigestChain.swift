import Foundation
import TrailWardenVocabulary

/// One chain of digest files: a trail's digests for one account and one source
/// region. The unit of validation, of state, and of work distribution.
public struct DigestChain: Sendable, Hashable, Codable, CustomStringConvertible {
    public var bucket: String
    /// The trail's S3 key prefix, without a trailing "/"; nil or empty for none.
    public var prefix: String?
    /// Set for organization trails, whose keys carry the organization id.
    public var organizationID: String?
    public var accountID: String
    public var trailName: String
    public var homeRegion: String
    public var sourceRegion: String

    public init(bucket: String, prefix: String?, organizationID: String?, accountID: String,
                trailName: String, homeRegion: String, sourceRegion: String) {
        self.bucket = bucket
        var trimmed = prefix ?? ""
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.prefix = trimmed.isEmpty ? nil : trimmed
        self.organizationID = organizationID
        self.accountID = accountID
        self.trailName = trailName
        self.homeRegion = homeRegion
        self.sourceRegion = sourceRegion
    }

    public var description: String {
        "\(trailName) \(accountID) \(sourceRegion) (s3://\(bucket)/\(accountRoot))"
    }

    /// `[prefix/]AWSLogs/[org/]account/`
    public var accountRoot: String {
        var root = prefix.map { $0 + "/" } ?? ""
        root += "AWSLogs/"
        if let organizationID { root += organizationID + "/" }
        return root + accountID + "/"
    }

    /// The folder holding this region's digests (of every trail that shares it), with a trailing "/".
    public var digestFolder: String { accountRoot + "CloudTrail-Digest/\(sourceRegion)/" }

    /// The folder holding this region's log files, with a trailing "/".
    public var logFolder: String { accountRoot + "CloudTrail/\(sourceRegion)/" }

    /// The key CloudTrail would give this chain's digest ending at `end`.
    public func digestKey(endingAt end: Date, backfill: Bool = false) -> String {
        digestFolder + CloudTrailTime.dayPath(end) + "/"
            + "\(accountID)_CloudTrail-Digest_\(sourceRegion)_\(trailName)_\(homeRegion)_\(CloudTrailTime.keyStamp(end))"
            + (backfill ? "_backfill" : "") + ".json.gz"
    }

    /// The parsed name of `key` if it is a digest file of exactly this chain.
    public func digestKeyName(_ key: String) -> DigestKeyName? {
        guard let name = DigestKeyName(key: key, folder: digestFolder, accountID: accountID, sourceRegion: sourceRegion),
              name.trailName == trailName, name.homeRegion == homeRegion else { return nil }
        return name
    }
}

/// The parts of a digest file's key. Trail names may contain `_`, `.` and `-`,
/// so the name is found from the known parts around it, never by splitting.
public struct DigestKeyName: Sendable, Hashable {
    public var key: String
    public var trailName: String
    public var homeRegion: String
    /// `YYYYMMDDTHHMMSSZ`, the digest's end time; sorts as time.
    public var stamp: String
    public var isBackfill: Bool
    public var endTime: Date

    /// Parses `key` as a digest in `folder` (which ends in "/") of the given account and source region.
    public init?(key: String, folder: String, accountID: String, sourceRegion: String) {
        guard key.hasPrefix(folder) else { return nil }
        let rest = key.dropFirst(folder.count)
        // YYYY/MM/DD/
        let dayParts = rest.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard dayParts.count == 4, dayParts[0].count == 4, dayParts[1].count == 2, dayParts[2].count == 2,
              dayParts[0...2].allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }) else { return nil }
        var file = Substring(dayParts[3])
        let lead = "\(accountID)_CloudTrail-Digest_\(sourceRegion)_"
        guard file.hasPrefix(lead), file.hasSuffix(Self.suffix) else { return nil }
        isBackfill = DigestKeyName.isBackfill(key: key)
        file = file.dropFirst(lead.count).dropLast(isBackfill ? Self.backfillSuffix.count : Self.suffix.count)
        // ..._<home>_<YYYYMMDDTHHMMSSZ>
        guard file.count > 17, file[file.index(file.endIndex, offsetBy: -17)] == "_" else { return nil }
        let stamp = String(file.suffix(16))
        guard let endTime = CloudTrailTime.parse(stamp), stamp.count == 16 else { return nil }
        file = file.dropLast(17)
        guard let split = file.lastIndex(of: "_") else { return nil }
        let home = file[file.index(after: split)...]
        let name = file[..<split]
        guard !home.isEmpty, !name.isEmpty, !home.contains("/"), !name.contains("/") else { return nil }
        self.key = key
        self.trailName = String(name)
        self.homeRegion = String(home)
        self.stamp = stamp
        self.endTime = endTime
    }
}

extension DigestKeyName {
    static let suffix = ".json.gz"
    static let backfillSuffix = "_backfill.json.gz"

    /// Whether a digest key names a backfill digest.
    public static func isBackfill(key: String) -> Bool { hasSuffix(key, backfillSuffix) }

    /// The end time in a digest key, found by position as the reference finds
    /// it: the 16 characters before `.json.gz` (or `_backfill.json.gz`), in
    /// any key. The same answer as `endTime` for every key CloudTrail writes;
    /// used where a key comes from a digest's content rather than a listing.
    public static func endTime(inKey key: String) -> Date? {
        let trailer = isBackfill(key: key) ? backfillSuffix.utf8.count : suffix.utf8.count
        guard key.utf8.count >= trailer + 16 else { return nil }
        return CloudTrailTime.parse(String(decoding: key.utf8.dropLast(trailer).suffix(16), as: UTF8.self))
    }

    /// Byte-wise, as S3 compares keys.
    private static func hasSuffix(_ key: String, _ suffix: String) -> Bool {
        key.utf8.count >= suffix.utf8.count && key.utf8.suffix(suffix.utf8.count).elementsEqual(suffix.utf8)
    }
}

/// The parts of a log file's key: `<account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<unique>.json.gz`.
public struct LogKeyName: Sendable, Hashable {
    public var key: String
    /// When the log file was delivered, to the minute.
    public var deliveryTime: Date

    public init?(key: String, folder: String, accountID: String, sourceRegion: String) {
        guard key.hasPrefix(folder) else { return nil }
        let parts = key.dropFirst(folder.count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        let lead = "\(accountID)_CloudTrail_\(sourceRegion)_"
        let file = parts[3]
        guard file.hasPrefix(lead), file.hasSuffix(".json.gz") else { return nil }
        let stamp = file.dropFirst(lead.count).prefix(14)
        guard stamp.count == 14, stamp.hasSuffix("Z"), let time = CloudTrailTime.parse(String(stamp)) else { return nil }
        self.key = key
        deliveryTime = time
    }
}
