import Foundation
import TrailWardenStorage

/// What validation established about a stretch of a chain's time.
public enum CoverageState: String, Sendable, Codable, CaseIterable {
    /// Standard digests whose signatures, links and log files all checked.
    case verified
    /// A digest failed, or a log file it lists did, or its link to the previous digest is false.
    case invalid
    /// Digests that should exist are not there.
    case missing
    /// No digest covers it: CloudTrail restarted the chain, as it does after logging
    /// or log file validation was off.
    case noDigests = "no-digests"

    /// Where two claims overlap, the more alarming one wins.
    var precedence: Int {
        switch self {
        case .invalid: return 3
        case .missing: return 2
        case .verified: return 1
        case .noDigests: return 0
        }
    }
}

/// A stretch of time in one state.
public struct CoverageSpan: Sendable, Equatable, Codable {
    public var start: Date
    public var end: Date
    public var state: CoverageState

    public init(start: Date, end: Date, state: CoverageState) {
        self.start = start
        self.end = end
        self.state = state
    }
}

/// Folds one chain's validation events into the time it covers, for the
/// compliance report's timelines: which hours are proven by verified digests,
/// which are invalid, missing, or have no digest at all.
///
/// Only the standard (hourly) chain counts: backfill digests vouch for late
/// log files, not for hours. Log results belong to the digest just before them
/// (the validator emits each digest, then its log files).
public struct CoverageRecorder: Sendable {
    private var claims: [CoverageSpan] = []
    /// The index in `claims` of the standard digest whose log files follow.
    private var currentDigest: Int?
    /// The claims of valid standard digests, for a link found false after the digest was recorded.
    private var digestClaims: [ObjectLocation: Int] = [:]
    /// The end of an invalid standard digest whose hour waits for the next older digest's end.
    private var pendingInvalidEnd: Date?

    /// Spans closer than this are merged: digests meet end to start, up to rounding.
    static let joinTolerance: TimeInterval = 60

    public init() {}

    public mutating func record(_ event: ValidationEvent) {
        switch event {
        case .digestValid(let location, .standard, let start, let end):
            closeInvalidHour(olderEnd: end)
            claims.append(CoverageSpan(start: start, end: end, state: .verified))
            currentDigest = claims.count - 1
            digestClaims[location] = currentDigest
        case .digestValid(_, .backfill, _, _), .digestInvalid(_, .backfill, _), .gap(.backfill, _, _),
             .digestsMissing(_, .backfill, _, _, _):
            closeInvalidHour(olderEnd: nil)
            currentDigest = nil
        case .digestInvalid(let location, .standard, _):
            let end = DigestKeyName.endTime(inKey: location.key)
            closeInvalidHour(olderEnd: end)
            pendingInvalidEnd = end
            currentDigest = nil
        case .logInvalid:
            if let currentDigest { claims[currentDigest].state = .invalid }
        case .chainLinkBroken(let newer, _, _):
            if let index = digestClaims[newer] {
                claims[index].state = .invalid
            } else if let end = DigestKeyName.endTime(inKey: newer.key) {
                claims.append(Self.invalidHour(endingAt: end, olderEnd: nil))
            }
        case .digestsMissing(_, .standard, _, let from, let to):
            closeInvalidHour(olderEnd: from)
            claims.append(CoverageSpan(start: from, end: to, state: .missing))
        case .gap(.standard, let from, let to):
            closeInvalidHour(olderEnd: from)
            claims.append(CoverageSpan(start: from, end: to, state: .noDigests))
        case .logValid, .logUnreferenced:
            break
        }
    }

    /// The walk goes newest first, so an invalid digest's hour is known once the next
    /// older digest (or the start of the missing ones before it) is seen.
    private mutating func closeInvalidHour(olderEnd: Date?) {
        guard let end = pendingInvalidEnd else { return }
        pendingInvalidEnd = nil
        claims.append(Self.invalidHour(endingAt: end, olderEnd: olderEnd))
    }

    /// An invalid digest's hour: from the previous digest's end when that is within about
    /// an hour (digests meet end to start; a copy placed minutes past the newest real digest
    /// claims only those minutes), else the hour before the end in its key (missing digests
    /// before it are claimed as missing).
    static func invalidHour(endingAt end: Date, olderEnd: Date?) -> CoverageSpan {
        var start = end.addingTimeInterval(-3600)
        if let olderEnd, olderEnd < end, end.timeIntervalSince(olderEnd) <= 3600 + joinTolerance { start = olderEnd }
        return CoverageSpan(start: start, end: end, state: .invalid)
    }

    /// Non-overlapping spans, oldest first, each a maximal run of one state.
    public var spans: [CoverageSpan] {
        Self.flatten(claims + (pendingInvalidEnd.map { [Self.invalidHour(endingAt: $0, olderEnd: nil)] } ?? []))
    }

    /// Resolves overlaps by precedence and merges neighbours in the same state.
    public static func flatten(_ claims: [CoverageSpan]) -> [CoverageSpan] {
        let boundaries = Set(claims.flatMap { [$0.start, $0.end] }).sorted()
        guard boundaries.count > 1 else { return [] }
        // Each claim covers the elementary segments between its boundaries.
        var strongest = [CoverageState?](repeating: nil, count: boundaries.count - 1)
        let index = Dictionary(uniqueKeysWithValues: boundaries.enumerated().map { ($1, $0) })
        for claim in claims {
            guard let from = index[claim.start], let to = index[claim.end] else { continue }
            for segment in from..<to where (strongest[segment]?.precedence ?? -1) < claim.state.precedence {
                strongest[segment] = claim.state
            }
        }
        var spans = [CoverageSpan]()
        for (segment, state) in strongest.enumerated() {
            guard let state else { continue }
            let start = boundaries[segment], end = boundaries[segment + 1]
            if let last = spans.last, last.state == state, start.timeIntervalSince(last.end) <= joinTolerance {
                spans[spans.count - 1].end = end
            } else {
                spans.append(CoverageSpan(start: start, end: end, state: state))
            }
        }
        return spans
    }
}
