import TrailWardenCrypto

/// What makes a finding the same finding wherever it is seen: the chain (account,
/// trail and source region), the object and the kind. Its `uid` is what Security
/// Hub (`Id`), OCSF (`finding_info.uid`) and EventBridge (`detail.finding_info.uid`)
/// carry, so the same tampering seen by two runs, two shards of one scan, or two
/// state files has one id, and a later update (resolved) replaces the earlier one.
///
/// Derivation (docs/findings.md#stable-ids): `uid` is the lower-case hex SHA-256 of
/// `canonicalText`, which is the line `trailwarden-finding-id/1`, then one line per
/// field in this order, each `NAME=` and the value as a JSON string literal:
/// `account`, `trail`, `region` (`""` when the finding has no source region),
/// `kind` and `object`; every line ends with "\n". Run ids, times, messages and the
/// state's row ids are left out on purpose: they differ between runs.
public struct FindingIdentity: Sendable, Hashable {
    public var accountID: String
    /// The trail's ARN; for a posture finding, its object (the trail ARN, or `ACCOUNT/REGION`).
    public var trailARN: String
    /// The chain's source region; nil for posture findings.
    public var sourceRegion: String?
    public var kind: FindingKind
    /// The S3 URL, digest folder, trail ARN or `ACCOUNT/REGION` the finding concerns.
    public var object: String

    public init(accountID: String, trailARN: String, sourceRegion: String?, kind: FindingKind, object: String) {
        self.accountID = accountID
        self.trailARN = trailARN
        self.sourceRegion = sourceRegion
        self.kind = kind
        self.object = object
    }

    /// A finding about a trail's or a region's posture: its object (the trail ARN, or
    /// `ACCOUNT/REGION`) stands for the trail, and it has no source region. The one rule,
    /// so that a scan's log line and a report's export give it the same id.
    public static func posture(accountID: String, kind: FindingKind, object: String) -> FindingIdentity {
        FindingIdentity(accountID: accountID, trailARN: object, sourceRegion: nil, kind: kind, object: object)
    }

    /// The text hashed into `uid`; a new derivation would change the first line.
    public var canonicalText: String {
        let fields = [("account", accountID), ("trail", trailARN), ("region", sourceRegion ?? ""),
                      ("kind", kind.rawValue), ("object", object)]
        return "trailwarden-finding-id/1\n" + fields.map { "\($0.0)=\(JSONString.quote($0.1))\n" }.joined()
    }

    /// 64 lower-case hex digits.
    public var uid: String { Digests.sha256Hex(Array(canonicalText.utf8)) }
}
