import Foundation
import TrailWardenCore

/// What a report of one period reads from the state, in pieces whose size does not grow with
/// the history's length as a whole: first an `Outline` (one entry per chain, one per run), then
/// each account's and each chain's own rows, one at a time, so a report holds one chain at once.
public enum StateHistory {
    /// The chains, accounts and runs a report of the period covers, without their rows.
    public struct Outline: Sendable {
        /// Every chain of the accounts that a run validated (even if no validation reached the
        /// period: the report shows it not scanned), in id order.
        public var chains: [ChainEntry]
        /// Every account with a chain, a trail finding seen by the runs, or an error in them, sorted.
        public var accounts: [String]
        /// The runs that recorded results overlapping the period or started in it, oldest first.
        public var runs: [RunSummary]
        public var alarmOutcomes: [AlarmOutcomeRecord]
    }

    /// A chain as the outline lists it: its row, identity, newest trail ARN and last record.
    public struct ChainEntry: Sendable, Equatable {
        public var id: Int64
        public var chain: DigestChain
        /// The newest trail ARN recorded for the chain.
        public var trailARN: String
        /// When a run last recorded the chain (any range).
        public var lastRecorded: Date?
    }

    public struct Chain: Sendable {
        public var chain: DigestChain
        /// The newest trail ARN recorded for the chain.
        public var trailARN: String
        /// The chain's results whose validated range overlaps the period, oldest first; their
        /// `findingKeys` are left empty (`findings` are what they saw).
        public var results: [StoredChainResult]
        /// Their coverage, oldest run first, each span with the run that recorded it.
        public var coverage: [RunCoverage]
        /// When a run last recorded the chain (any range).
        public var lastRecorded: Date?
        /// The findings those results saw, by kind and object.
        public var findings: [StoredFinding]
    }

    /// One account's own rows: findings about its trails and the errors of the outline's runs.
    public struct Account: Sendable {
        public var postureFindings: [StoredFinding]
        public var errors: [StoredAccountError]
    }

    /// A coverage span and the run that established it: a later validation of the same
    /// time replaces what an earlier one said.
    public struct RunCoverage: Sendable, Equatable {
        public var run: Int64
        public var span: CoverageSpan
    }

    /// Which rows a report reads: its period, its accounts (empty: all) and, for a scan's own
    /// report, one run.
    public struct Query: Sendable, Equatable {
        public var from: Date
        public var to: Date
        public var accounts: Set<String>
        public var run: Int64?

        public init(from: Date, to: Date, accounts: Set<String>, run: Int64?) {
            self.from = from
            self.to = to
            self.accounts = accounts
            self.run = run
        }
    }
}

/// A state a report reads, piece by piece (docs/performance.md, "Reports from a long history").
public protocol HistoryReader: Sendable {
    /// The oldest validated range start and newest end of the query's accounts and run, if any
    /// (the query's period is ignored): the default report period.
    func validatedRange(_ query: StateHistory.Query) async throws -> (from: Date, to: Date)?
    func outline(_ query: StateHistory.Query) async throws -> StateHistory.Outline
    /// One chain's rows for the query; `runs` are the outline's.
    func chain(_ entry: StateHistory.ChainEntry, _ query: StateHistory.Query) async throws -> StateHistory.Chain
    /// One account's trail findings seen between the first and last of `runs`, and its errors in them.
    func account(_ accountID: String, runs: [RunSummary]) async throws -> StateHistory.Account
}
