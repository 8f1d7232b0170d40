/// The organization-wide figures both the scan's totals and the compliance
/// report's summary give, counted one way so that they always line up.
public protocol IntegrityCounts {
    var chains: Int { get set }
    var validDigests: Int { get set }
    var invalidDigests: Int { get set }
    var validLogs: Int { get set }
    var invalidLogs: Int { get set }
    var errors: Int { get set }
}

extension IntegrityCounts {
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
