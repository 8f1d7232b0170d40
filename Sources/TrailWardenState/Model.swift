import Foundation
import TrailWardenCore

/// Where a chain's next scan resumes: the newest digest validated so far.
///
/// Signature and SHA-256 are kept so the next scan can check that the first digest it
/// reads links back to exactly this one, not merely to a digest with the same key.
public struct Checkpoint: Sendable, Equatable, Codable {
    public var digestKey: String
    public var digestEndTime: Date
    public var signature: String
    public var sha256: String

    public init(digestKey: String, digestEndTime: Date, signature: String, sha256: String) {
        self.digestKey = digestKey
        self.digestEndTime = digestEndTime
        self.signature = signature
        self.sha256 = sha256
    }
}

/// A problem seen by one run in one chain, as handed to the store.
///
/// (chain, kind, object) identifies it across runs, so `kind` must be a stable word without
/// spaces (e.g. "invalid-log") and `object` the S3 key or time it concerns; `message` is
/// free text and may change between runs.
public struct RecordedFinding: Sendable, Equatable {
    public var kind: String
    public var object: String
    public var message: String

    public init(kind: String, object: String, message: String) {
        self.kind = kind
        self.object = object
        self.message = message
    }

    /// The "kind object" key that `resolveFindings(chain:notIn:run:at:)` takes.
    public var key: String { findingKey(kind: kind, object: object) }
}

/// The "kind object" key of a finding within its chain.
public func findingKey(kind: String, object: String) -> String { kind + " " + object }

/// Everything one run learned about one chain, recorded in one transaction.
public struct ChainResult: Sendable {
    public var chain: DigestChain
    public var trailARN: String
    /// The time range that was validated.
    public var rangeStart: Date
    public var rangeEnd: Date
    public var tally: ValidationTally
    public var findings: [RecordedFinding]
    /// The new checkpoint; nil leaves the stored one as it is.
    public var newCheckpoint: Checkpoint?
    /// Why the chain could not be validated, if it could not.
    public var error: String?

    public init(chain: DigestChain, trailARN: String, rangeStart: Date, rangeEnd: Date, tally: ValidationTally,
                findings: [RecordedFinding] = [], newCheckpoint: Checkpoint? = nil, error: String? = nil) {
        self.chain = chain
        self.trailARN = trailARN
        self.rangeStart = rangeStart
        self.rangeEnd = rangeEnd
        self.tally = tally
        self.findings = findings
        self.newCheckpoint = newCheckpoint
        self.error = error
    }
}

/// A finding with its history, so reports can say "new", "still open since…" or "resolved".
public struct StoredFinding: Sendable, Equatable {
    public static let open = "open"
    public static let resolved = "resolved"

    public var chain: DigestChain
    public var kind: String
    public var object: String
    /// The message of the most recent sighting.
    public var message: String
    public var firstSeenRun: Int64
    public var firstSeenAt: Date
    public var lastSeenRun: Int64
    public var lastSeenAt: Date
    /// "open" or "resolved".
    public var status: String

    public var key: String { findingKey(kind: kind, object: object) }
}

/// One recorded run, for audit: who asked for what, and how it ended.
public struct RunSummary: Sendable, Equatable {
    /// The status of a run that has begun but not finished (or whose process died).
    public static let running = "running"

    public var id: Int64
    public var startedAt: Date
    public var finishedAt: Date?
    public var caller: String
    /// JSON: what was asked.
    public var request: String
    /// JSON, set when the run finished.
    public var totals: String?
    /// JSON, set when the run finished.
    public var errors: String?
    public var status: String
}

/// A chain result as stored, read back for reports.
public struct StoredChainResult: Sendable, Equatable {
    public var run: Int64
    public var chain: DigestChain
    public var trailARN: String
    public var rangeStart: Date
    public var rangeEnd: Date
    public var tally: ValidationTally
    public var error: String?
    public var recordedAt: Date
    /// The "kind object" keys of the findings seen in this run for this chain, sorted.
    public var findingKeys: [String]
}
