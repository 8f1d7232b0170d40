/// The few families that findings fall into, for alarms and report summaries.
///
/// A finding's `kind` is a precise, stable word ("log-hash-mismatch",
/// "chain-checkpoint-break", …); people and CloudWatch alarms want the family:
/// was a digest bad, a log file bad, a digest missing, the chain broken, a log
/// file unvouched for, or the trail itself misconfigured?
public enum FindingCategory: String, Sendable, Codable, CaseIterable, Comparable {
    case invalidDigest = "invalid-digest"
    case invalidLog = "invalid-log"
    case missingDigests = "missing-digests"
    case chainBreak = "chain-break"
    case unreferencedLog = "unreferenced-log"
    case posture

    /// The family of a finding kind. Kinds this build does not know (from a newer
    /// state file) count as invalid digests, the most serious family, rather than
    /// being dropped.
    public init(kind: String) {
        switch kind {
        case "log-unreferenced":
            self = .unreferencedLog
        case "digests-missing", "chain-no-digests", "digests-stale", "checkpoint-digest-missing":
            self = .missingDigests
        case "chain-link-hash-mismatch", "chain-link-signature-mismatch", "chain-checkpoint-break":
            self = .chainBreak
        case _ where kind.hasPrefix("trail-") || kind.hasPrefix("region-"):
            self = .posture
        case _ where kind.hasPrefix("log-"):
            self = .invalidLog
        default:
            self = .invalidDigest
        }
    }

    /// The CloudWatch metric name counting new findings of this family.
    public var metricName: String {
        switch self {
        case .invalidDigest: return "InvalidDigests"
        case .invalidLog: return "InvalidLogs"
        case .missingDigests: return "MissingDigests"
        case .chainBreak: return "ChainBreaks"
        case .unreferencedLog: return "UnreferencedLogs"
        case .posture: return "PostureFindings"
        }
    }

    /// A short plural label for people ("invalid digests").
    public var label: String {
        switch self {
        case .invalidDigest: return "invalid digests"
        case .invalidLog: return "invalid log files"
        case .missingDigests: return "missing digests"
        case .chainBreak: return "chain breaks"
        case .unreferencedLog: return "unreferenced log files"
        case .posture: return "trail posture"
        }
    }

    /// Declaration order: the order reports list categories in.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }
}
