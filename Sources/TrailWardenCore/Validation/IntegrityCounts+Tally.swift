import TrailWardenVocabulary

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
