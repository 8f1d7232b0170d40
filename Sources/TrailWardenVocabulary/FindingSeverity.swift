/// How urgently a finding needs a person, per `FindingKind`: what Security Hub,
/// OCSF and EventBridge consumers sort and route on. The table and its reasons are
/// in docs/findings.md#severity; this type is its only source.
///
/// The scale is what a finding proves, not how often it happens:
/// - **critical**: the record was altered or destroyed, and the proof is
///   cryptographic or S3's own answer (a hash, a signature, a link, NoSuchKey);
/// - **high**: the record is unreadable, unvouched for, or no longer protected, so
///   tampering is likely or can no longer be detected, but the bytes alone do not
///   prove who did what;
/// - **medium**: a gap in what can be proven (no recent digest, a region no trail
///   covers) that is as often a configuration or delivery fault as an attack.
///
/// Nothing is low or informational: every finding is a claim about evidence.
public enum FindingSeverity: String, Sendable, Codable, CaseIterable, Comparable {
    case medium
    case high
    case critical

    /// Declaration order, least urgent first.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }
}

extension FindingKind {
    /// The kind's severity (see `FindingSeverity` for the scale).
    public var severity: FindingSeverity {
        switch self {
        // A hash, a signature or a link that fails over the bytes S3 returned, or S3's own
        // NoSuchKey for an object a valid digest (or an earlier run) vouched for: altered or deleted.
        case .logHashMismatch, .logNotFound, .digestNotFound, .digestSignatureInvalid,
             .chainLinkHashMismatch, .chainLinkSignatureMismatch, .chainCheckpointBreak, .checkpointDigestMissing:
            return .critical
        // Unreadable or misplaced evidence, a signing key AWS never published, a file no digest
        // vouches for, hours of digests gone: likely tampering, proven only in part.
        case .logInvalidFormat, .logDataAfterGzipMember, .logUnreferenced, .digestInvalidFormat, .digestMoved,
             .digestPublicKeyNotFound, .digestPublicKeyUnloadable, .digestInvalid, .digestsMissing, .chainNoDigests:
            return .high
        // Validation off or logging stopped: what an intruder does first, and nothing is proven after it.
        case .trailValidationDisabled, .trailLoggingStopped:
            return .high
        // No recent digest, or a region no trail covers: a gap, as often a delivery or setup fault.
        case .digestsStale, .regionUncovered:
            return .medium
        // A word of a newer build: never understated below what most kinds are.
        case .unrecognized:
            return .high
        }
    }
}
