import TrailWardenCore

/// What was checked and what was found, organization-wide: a run's totals (kept with the
/// run, printed by `scan`) and the counting part of the compliance report's summary, which
/// builds on this type so that the two always count the same way.
public struct RunTotals: Sendable, Equatable, Codable {
    public var accounts = 0
    public var chains = 0
    public var validDigests = 0
    public var invalidDigests = 0
    public var validLogs = 0
    public var invalidLogs = 0
    public var findings = 0
    public var errors = 0

    public init() {}

    /// Counts one chain: backfill digests count with the others; a chain error is one error.
    public mutating func addChain(_ tally: ValidationTally, errors chainErrors: Int) {
        chains += 1
        validDigests += tally.validDigests + tally.validBackfillDigests
        invalidDigests += tally.invalidDigests + tally.invalidBackfillDigests
        validLogs += tally.validLogs
        invalidLogs += tally.invalidLogs
        errors += chainErrors
    }
}
