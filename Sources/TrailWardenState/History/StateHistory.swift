import Foundation
import TrailWardenCore

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
        /// Their coverage, oldest run first, each span with the run that recorded it.
        public var coverage: [RunCoverage]
        /// When a run last recorded the chain (any range).
        public var lastRecorded: Date?
    }

    /// A coverage span and the run that established it: a later validation of the same
    /// time replaces what an earlier one said.
    public struct RunCoverage: Sendable, Equatable {
        public var run: Int64
        public var span: CoverageSpan
    }

    public var chains: [Chain]
    /// Chain findings seen by those results, and trail findings seen by the runs below.
    public var findings: [StoredFinding]
    public var accountErrors: [StoredAccountError]
    /// The runs that recorded those results or started in the period, oldest first.
    public var runs: [RunSummary]
    public var alarmOutcomes: [AlarmOutcomeRecord]
}
