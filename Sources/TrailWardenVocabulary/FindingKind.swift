/// What a finding claims, as one stable word ("log-hash-mismatch"): the word
/// the state stores, reports print and alarms send. The engine, the scan and
/// the posture checks all name their findings here, so that every layer agrees
/// on the words and on their families.
///
/// A state written by a newer build may hold words this build does not know:
/// those are kept as `unrecognized` with the word exactly as stored, never
/// dropped or rewritten. Make kinds from words with `init(rawValue:)`, which
/// picks the named case for every known word.
public enum FindingKind: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    // The engine's, about log files.
    case logNotFound, logHashMismatch, logInvalidFormat, logDataAfterGzipMember, logUnreferenced
    // The engine's, about digest files.
    case digestNotFound, digestInvalidFormat, digestMoved, digestSignatureInvalid
    case digestPublicKeyNotFound, digestPublicKeyUnloadable, digestInvalid, digestsMissing
    // The engine's and the scan's, about the chain's links.
    case chainLinkHashMismatch, chainLinkSignatureMismatch, chainNoDigests, chainCheckpointBreak
    // The scan's, about the tail of a chain.
    case digestsStale, checkpointDigestMissing
    // The scan's, about a trail's settings and what no trail covers.
    case trailValidationDisabled, trailLoggingStopped, regionUncovered
    /// A word this build does not know, as stored.
    case unrecognized(String)

    /// Every kind this build names.
    public static let known: [FindingKind] = [
        .logNotFound, .logHashMismatch, .logInvalidFormat, .logDataAfterGzipMember, .logUnreferenced,
        .digestNotFound, .digestInvalidFormat, .digestMoved, .digestSignatureInvalid,
        .digestPublicKeyNotFound, .digestPublicKeyUnloadable, .digestInvalid, .digestsMissing,
        .chainLinkHashMismatch, .chainLinkSignatureMismatch, .chainNoDigests, .chainCheckpointBreak,
        .digestsStale, .checkpointDigestMissing,
        .trailValidationDisabled, .trailLoggingStopped, .regionUncovered,
    ]

    private static let byWord = Dictionary(uniqueKeysWithValues: known.map { ($0.rawValue, $0) })

    public init(rawValue: String) { self = Self.byWord[rawValue] ?? .unrecognized(rawValue) }

    public var rawValue: String {
        switch self {
        case .logNotFound: return "log-not-found"
        case .logHashMismatch: return "log-hash-mismatch"
        case .logInvalidFormat: return "log-invalid-format"
        case .logDataAfterGzipMember: return "log-data-after-gzip-member"
        case .logUnreferenced: return "log-unreferenced"
        case .digestNotFound: return "digest-not-found"
        case .digestInvalidFormat: return "digest-invalid-format"
        case .digestMoved: return "digest-moved"
        case .digestSignatureInvalid: return "digest-signature-invalid"
        case .digestPublicKeyNotFound: return "digest-public-key-not-found"
        case .digestPublicKeyUnloadable: return "digest-public-key-unloadable"
        case .digestInvalid: return "digest-invalid"
        case .digestsMissing: return "digests-missing"
        case .chainLinkHashMismatch: return "chain-link-hash-mismatch"
        case .chainLinkSignatureMismatch: return "chain-link-signature-mismatch"
        case .chainNoDigests: return "chain-no-digests"
        case .chainCheckpointBreak: return "chain-checkpoint-break"
        case .digestsStale: return "digests-stale"
        case .checkpointDigestMissing: return "checkpoint-digest-missing"
        case .regionUncovered: return "region-uncovered"
        case .trailValidationDisabled: return "trail-validation-disabled"
        case .trailLoggingStopped: return "trail-logging-stopped"
        case .unrecognized(let word): return word
        }
    }

    public var description: String { rawValue }

    /// The family the finding falls into. A word this build does not know goes by
    /// its prefix ("trail-", "region-", "log-") and otherwise counts as an invalid digest, the
    /// most serious family, rather than being dropped.
    public var category: FindingCategory {
        switch self {
        case .logUnreferenced:
            return .unreferencedLog
        case .digestsMissing, .chainNoDigests, .digestsStale, .checkpointDigestMissing:
            return .missingDigests
        case .chainLinkHashMismatch, .chainLinkSignatureMismatch, .chainCheckpointBreak:
            return .chainBreak
        case .trailValidationDisabled, .trailLoggingStopped, .regionUncovered:
            return .posture
        case .logNotFound, .logHashMismatch, .logInvalidFormat, .logDataAfterGzipMember:
            return .invalidLog
        case .digestNotFound, .digestInvalidFormat, .digestMoved, .digestSignatureInvalid,
             .digestPublicKeyNotFound, .digestPublicKeyUnloadable, .digestInvalid:
            return .invalidDigest
        case .unrecognized(let word):
            if word.hasPrefix("trail-") || word.hasPrefix("region-") { return .posture }
            return word.hasPrefix("log-") ? .invalidLog : .invalidDigest
        }
    }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
