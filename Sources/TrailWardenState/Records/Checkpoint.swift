import Foundation

/// Where a chain's next scan resumes: the newest digest validated so far.
///
/// Signature and SHA-256 are kept so the next scan can check that the first digest it
/// reads links back to exactly this one, not merely to a digest with the same key.
/// A chain whose runs examined digests but never validated one (its only digests are
/// invalid) has a checkpoint too, with no digest (`hasValidatedDigest` false), only
/// `examined`: the next run starts after it rather than reading the same digests again.
public struct Checkpoint: Sendable, Equatable, Codable {
    public var digestKey: String
    public var digestEndTime: Date
    public var signature: String
    public var sha256: String
    /// The newest digest examined past this one (an invalid digest, reported when it was
    /// examined); nil when none was. The next scan resumes after whichever is newer.
    public var examined: ExaminedDigest?
    /// Where the search for unreferenced log files stopped (short of the newest digest's
    /// end, whose next digest may still list the last minutes); the next run resumes it here.
    public var unreferencedCheckedThrough: Date?

    public init(digestKey: String, digestEndTime: Date, signature: String, sha256: String, examined: ExaminedDigest? = nil,
                unreferencedCheckedThrough: Date? = nil) {
        self.digestKey = digestKey
        self.digestEndTime = digestEndTime
        self.signature = signature
        self.sha256 = sha256
        self.examined = examined
        self.unreferencedCheckedThrough = unreferencedCheckedThrough
    }

    /// Where the next range starts: after the newest digest examined, valid or not.
    public var resumeAfter: Date { max(digestEndTime, examined?.endTime ?? digestEndTime) }

    /// False when no digest of the chain was ever validated (the state stores its digest
    /// fields empty, with an end time of 1970): nothing to link to or to look for.
    public var hasValidatedDigest: Bool { !digestKey.isEmpty }
}

/// A digest a run examined, by its key and the end time its key names.
public struct ExaminedDigest: Sendable, Equatable, Codable {
    public var key: String
    public var endTime: Date

    public init(key: String, endTime: Date) {
        self.key = key
        self.endTime = endTime
    }
}
