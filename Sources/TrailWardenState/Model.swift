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

    /// The "kind object" key: what identifies the finding within its chain.
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
    /// What the validation established about the chain's time, for reports.
    public var coverage: [CoverageSpan]

    public init(chain: DigestChain, trailARN: String, rangeStart: Date, rangeEnd: Date, tally: ValidationTally,
                findings: [RecordedFinding] = [], newCheckpoint: Checkpoint? = nil, error: String? = nil,
                coverage: [CoverageSpan] = []) {
        self.chain = chain
        self.trailARN = trailARN
        self.rangeStart = rangeStart
        self.rangeEnd = rangeEnd
        self.tally = tally
        self.findings = findings
        self.newCheckpoint = newCheckpoint
        self.error = error
        self.coverage = coverage
    }
}

/// What one run learned about one account besides its chains: the posture of the
/// account's own trails and the errors that kept parts of it from being scanned.
public struct AccountResult: Sendable {
    public var accountID: String
    /// Findings about the account's trails; `object` is the trail ARN.
    public var postureFindings: [RecordedFinding]
    public var errors: [String]
    /// True when every trail of the account was described and its status read, so
    /// posture findings not seen now are resolved.
    public var postureComplete: Bool

    public init(accountID: String, postureFindings: [RecordedFinding], errors: [String], postureComplete: Bool) {
        self.accountID = accountID
        self.postureFindings = postureFindings
        self.errors = errors
        self.postureComplete = postureComplete
    }
}

/// A finding with its history, so reports can say "new", "still open since…" or "resolved".
public struct StoredFinding: Sendable, Equatable {
    public static let open = "open"
    public static let resolved = "resolved"

    public var id: Int64
    public var accountID: String
    /// The chain, or nil for a finding about a trail (posture), whose object is the trail ARN.
    public var chain: DigestChain?
    /// The trail the finding belongs to: for a chain, as its newest result recorded it.
    public var trailARN: String
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
    public var resolvedAt: Date?

    public var key: String { findingKey(kind: kind, object: object) }
}

/// An account error as stored, with the run that met it.
public struct StoredAccountError: Sendable, Equatable {
    public var run: Int64
    public var accountID: String
    public var message: String
}

/// What one alarm target did after one run.
public struct AlarmOutcomeRecord: Sendable, Equatable, Codable {
    public static let delivered = "delivered"
    /// Nothing was pending and the target wants no empty notices.
    public static let nothingNew = "nothing-new"
    public static let failed = "failed"
    /// --no-alarms: the findings stay pending.
    public static let skipped = "skipped"

    public var run: Int64
    public var target: String
    /// "delivered", "nothing-new", "failed" or "skipped".
    public var status: String
    /// How many findings it carried, or left pending.
    public var findings: Int
    public var attempts: Int
    public var error: String?

    public init(run: Int64, target: String, status: String, findings: Int, attempts: Int, error: String?) {
        self.run = run
        self.target = target
        self.status = status
        self.findings = findings
        self.attempts = attempts
        self.error = error
    }
}

/// What a report needs from the state for one period: the chains whose results overlap
/// it, with those results and their coverage, and the findings, errors and runs around them.
public struct StateHistory: Sendable {
    public struct Chain: Sendable {
        public var chain: DigestChain
        /// The newest trail ARN recorded for the chain.
        public var trailARN: String
        /// The chain's results whose validated range overlaps the period, oldest first; their
        /// `findingKeys` are left empty (the history's `findings` are what they saw).
        public var results: [StoredChainResult]
        /// Their coverage, oldest first.
        public var coverage: [CoverageSpan]
        /// When a run last recorded the chain (any range).
        public var lastRecorded: Date?
    }

    public var chains: [Chain]
    /// Chain findings seen by those results, and trail findings seen by the runs below.
    public var findings: [StoredFinding]
    public var accountErrors: [StoredAccountError]
    /// The runs that recorded those results or started in the period, oldest first.
    public var runs: [RunSummary]
    public var alarmOutcomes: [AlarmOutcomeRecord]
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
