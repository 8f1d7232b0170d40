import Foundation

/// One recorded run, for audit: who asked for what, and how it ended.
public struct RunSummary: Sendable, Equatable {
    public var id: Int64
    public var startedAt: Date
    public var finishedAt: Date?
    public var caller: String
    /// JSON: what was asked.
    public var request: String
    /// Set when the run finished, unless it failed before counting.
    public var totals: RunTotals?
    /// The problems not tied to one account; set when the run finished.
    public var errors: [String]?
    public var status: RunStatus
}
