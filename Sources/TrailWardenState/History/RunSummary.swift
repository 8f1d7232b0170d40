import Foundation

/// One recorded run, for audit: who asked for what, with which configuration and build,
/// and how it ended.
public struct RunSummary: Sendable, Equatable {
    public var id: Int64
    public var startedAt: Date
    public var finishedAt: Date?
    /// The identity that ran it: the ARN GetCallerIdentity returned, or "archive PATH".
    public var caller: String
    /// JSON: what was asked.
    public var request: String
    /// Set when the run finished, unless it failed before counting.
    public var totals: RunTotals?
    /// The problems not tied to one account; set when the run finished.
    public var errors: [String]?
    public var status: RunStatus
    /// SHA-256 (lower-case hex) of the configuration file's bytes as the run read them;
    /// nil for a run given none, or recorded before migration 005.
    public var configurationSHA256: String? = nil
    /// The TrailWarden version that ran it; nil for a run recorded before migration 005.
    public var trailwardenVersion: String? = nil
}
