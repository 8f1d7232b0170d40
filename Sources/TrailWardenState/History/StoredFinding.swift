import Foundation
import TrailWardenCore
import TrailWardenVocabulary

/// A finding with its history, so reports can say "new", "still open since…" or "resolved".
/// A view of its own: `RecordedFinding` is what one run hands in; this is what the state
/// keeps across runs (its row id for alarm deliveries, account, chain, sightings, status).
public struct StoredFinding: Sendable, Equatable {
    public var id: Int64
    public var accountID: String
    /// The chain, or nil for a finding about a trail (posture), whose object is the trail ARN.
    public var chain: DigestChain?
    /// The trail the finding belongs to: for a chain, as its newest result recorded it.
    public var trailARN: String
    public var kind: FindingKind
    public var object: String
    /// The message of the most recent sighting.
    public var message: String
    public var firstSeenRun: Int64
    public var firstSeenAt: Date
    public var lastSeenRun: Int64
    public var lastSeenAt: Date
    public var status: FindingStatus
    public var resolvedAt: Date?

    public var key: String { findingKey(kind: kind, object: object) }
}
