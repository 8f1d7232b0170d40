import Foundation
import TrailWardenCore

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
    /// The newest standard digest examined, valid or not, when newer than the checkpoint;
    /// recorded with the checkpoint so that the next run resumes after it.
    public var newestExamined: ExaminedDigest?
    /// Where this run's search for unreferenced log files stopped; recorded with the
    /// checkpoint (only forward) so that the next run resumes the search there.
    public var unreferencedCheckedThrough: Date?
    /// No digest was ever seen: no checkpoint, and none listed in the range. Coverage
    /// information (the trail does not deliver there), not a finding.
    public var undelivered = false
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
