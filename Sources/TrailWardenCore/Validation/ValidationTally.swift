import Foundation

/// The counts a validation run reports, folded from its events.
///
/// The first six counts and the found range follow the reference exactly;
/// the rest count the checks the reference does not make.
public struct ValidationTally: Sendable, Equatable, Codable {
    public var validDigests = 0
    public var invalidDigests = 0
    public var validBackfillDigests = 0
    public var invalidBackfillDigests = 0
    public var validLogs = 0
    public var invalidLogs = 0
    public var brokenLinks = 0
    public var additionalMissingDigests = 0
    public var unreferencedLogs = 0
    /// The earliest start and latest end of the valid digests, clamped to the request.
    public var foundStart: Date?
    public var foundEnd: Date?

    public init() {}

    public var hasFindings: Bool {
        invalidDigests + invalidBackfillDigests + invalidLogs + brokenLinks + additionalMissingDigests + unreferencedLogs > 0
    }

    /// Adds another run's counts; the found range becomes the span of both.
    public mutating func add(_ other: ValidationTally) {
        validDigests += other.validDigests
        invalidDigests += other.invalidDigests
        validBackfillDigests += other.validBackfillDigests
        invalidBackfillDigests += other.invalidBackfillDigests
        validLogs += other.validLogs
        invalidLogs += other.invalidLogs
        brokenLinks += other.brokenLinks
        additionalMissingDigests += other.additionalMissingDigests
        unreferencedLogs += other.unreferencedLogs
        foundStart = [foundStart, other.foundStart].compactMap { $0 }.min()
        foundEnd = [foundEnd, other.foundEnd].compactMap { $0 }.max()
    }

    public mutating func record(_ event: ValidationEvent, requestedStart: Date, requestedEnd: Date) {
        switch event {
        case .digestValid(_, let kind, let start, let end):
            if kind == .backfill { validBackfillDigests += 1 } else { validDigests += 1 }
            let earliest = max(start, requestedStart)
            if foundStart.map({ earliest < $0 }) ?? true { foundStart = earliest }
            let latest = min(end, requestedEnd)
            if foundEnd.map({ latest > $0 }) ?? true { foundEnd = latest }
        case .digestInvalid(_, let kind, _):
            if kind == .backfill { invalidBackfillDigests += 1 } else { invalidDigests += 1 }
        case .logValid:
            validLogs += 1
        case .logInvalid:
            invalidLogs += 1
        case .chainLinkBroken:
            brokenLinks += 1
        case .digestsMissing(_, _, let count, _, _):
            additionalMissingDigests += count
        case .logUnreferenced:
            unreferencedLogs += 1
        case .gap:
            break
        }
    }
}
