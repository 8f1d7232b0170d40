import TrailWardenCore
import TrailWardenVocabulary

/// A run's totals, kept with the run and shown in its report: what was checked and what was found.
public struct RunTotals: Sendable, Equatable, Codable, IntegrityCounts {
    public var accounts = 0
    public var chains = 0
    public var validDigests = 0
    public var invalidDigests = 0
    public var validLogs = 0
    public var invalidLogs = 0
    public var findings = 0
    public var errors = 0

    public init() {}
}
