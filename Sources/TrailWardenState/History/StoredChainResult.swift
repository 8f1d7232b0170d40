import Foundation
import TrailWardenCore

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
