import Foundation
import Testing
import TrailWardenCore
import TrailWardenSimulation
import TrailWardenStorage

@Suite struct CoverageTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    static func hour(_ n: Int) -> Date { t0.addingTimeInterval(Double(n) * 3600) }
    static func location(_ key: String) -> ObjectLocation { ObjectLocation(bucket: "b", key: key) }

    @Test func digestsMergeIntoSpansAndTheMoreAlarmingClaimWins() {
        var recorder = CoverageRecorder()
        // Newest first, as the validator walks: hour 3–4 valid but one of its logs fails.
        recorder.record(.digestValid(Self.location("d4"), .standard, start: Self.hour(3), end: Self.hour(4)))
        recorder.record(.logInvalid(Self.location("l4"), .hashMismatch))
        recorder.record(.digestValid(Self.location("d3"), .standard, start: Self.hour(2), end: Self.hour(3)))
        recorder.record(.logValid(Self.location("l3")))
        recorder.record(.digestValid(Self.location("d2"), .standard, start: Self.hour(1).addingTimeInterval(5), end: Self.hour(2)))
        recorder.record(.digestsMissing(folder: Self.location("folder/"), .standard, count: 1, from: Self.hour(-1), to: Self.hour(1)))
        recorder.record(.gap(.standard, from: Self.hour(-3), to: Self.hour(-1)))
        // A backfill digest vouches for late logs, not hours: its log results do not count.
        recorder.record(.digestValid(Self.location("bf"), .backfill, start: Self.hour(0), end: Self.hour(4)))
        recorder.record(.logInvalid(Self.location("late"), .notFound))

        #expect(recorder.spans == [
            CoverageSpan(start: Self.hour(-3), end: Self.hour(-1), state: .noDigests),
            CoverageSpan(start: Self.hour(-1), end: Self.hour(1), state: .missing),
            CoverageSpan(start: Self.hour(1).addingTimeInterval(5), end: Self.hour(3), state: .verified),
            CoverageSpan(start: Self.hour(3), end: Self.hour(4), state: .invalid),
        ])
    }

    @Test func overlappingClaimsAreCutAtTheirBoundaries() {
        let spans = CoverageRecorder.flatten([
            CoverageSpan(start: Self.hour(0), end: Self.hour(4), state: .verified),
            CoverageSpan(start: Self.hour(1), end: Self.hour(2), state: .invalid),
            CoverageSpan(start: Self.hour(6), end: Self.hour(7), state: .verified),
        ])
        #expect(spans.map(\.state) == [.verified, .invalid, .verified, .verified])
        #expect(spans.map(\.start) == [Self.hour(0), Self.hour(1), Self.hour(2), Self.hour(6)])
        #expect(CoverageRecorder.flatten([]).isEmpty)
    }

    @Test func aWorldWithAFalseLogShowsItsHourInvalidAndTheRestVerified() async throws {
        var spec = WorldSpec(accounts: 2, regions: ["us-east-1"], hours: 24, logsPerDigest: 3)
        spec.tampers = [.logModify]
        let world = try await TestWorld.make(spec)
        defer { world.remove() }
        let chain = try #require(world.manifest.chains.first { !$0.expectedFindings.isEmpty })
        let (events, _) = try await world.validate(chain.chain)
        var recorder = CoverageRecorder()
        events.forEach { recorder.record($0) }
        let spans = recorder.spans
        #expect(spans.filter { $0.state == .invalid }.count == 1)
        let invalid = try #require(spans.first { $0.state == .invalid })
        #expect(invalid.end.timeIntervalSince(invalid.start) == 3600)
        #expect(spans.contains { $0.state == .verified })
        #expect(zip(spans, spans.dropFirst()).allSatisfy { $0.end <= $1.start })
    }

    static let chain = DigestChain(bucket: "b", prefix: nil, organizationID: nil, accountID: "111111111111", trailName: "t",
                                   homeRegion: "us-east-1", sourceRegion: "us-east-1")
    static func digest(endingAt end: Date) -> ObjectLocation { location(chain.digestKey(endingAt: end)) }

    @Test func aCopiedDigestMinutesPastTheEndClaimsOnlyItsMinutesNotTheLastRealHour() {
        var recorder = CoverageRecorder()
        let copyEnd = Self.hour(2).addingTimeInterval(900)
        recorder.record(.digestInvalid(Self.digest(endingAt: copyEnd), .standard, .moved))
        recorder.record(.digestValid(Self.digest(endingAt: Self.hour(2)), .standard, start: Self.hour(1), end: Self.hour(2)))
        recorder.record(.digestValid(Self.digest(endingAt: Self.hour(1)), .standard, start: Self.hour(0), end: Self.hour(1)))
        #expect(recorder.spans == [
            CoverageSpan(start: Self.hour(0), end: Self.hour(2), state: .verified),
            CoverageSpan(start: Self.hour(2), end: copyEnd, state: .invalid),
        ])
    }

    @Test func anInvalidDigestsHourStartsAtThePreviousDigestsEndSoNoSliverIsLeft() {
        var recorder = CoverageRecorder()
        // Digests end a few seconds after the hour, and not always the same few.
        let previousEnd = Self.hour(1).addingTimeInterval(17), invalidEnd = Self.hour(2).addingTimeInterval(21)
        recorder.record(.digestValid(Self.digest(endingAt: Self.hour(3)), .standard, start: invalidEnd, end: Self.hour(3)))
        recorder.record(.digestInvalid(Self.digest(endingAt: invalidEnd), .standard, .signatureVerificationFailed))
        recorder.record(.digestValid(Self.digest(endingAt: previousEnd), .standard, start: Self.hour(0), end: previousEnd))
        #expect(recorder.spans == [
            CoverageSpan(start: Self.hour(0), end: previousEnd, state: .verified),
            CoverageSpan(start: previousEnd, end: invalidEnd, state: .invalid),
            CoverageSpan(start: invalidEnd, end: Self.hour(3), state: .verified),
        ])
    }

    @Test func missingDigestsBeforeAnInvalidOneStayMissingAndAFalseLinkMarksTheNewerDigestsOwnSpan() {
        var recorder = CoverageRecorder()
        let newer = Self.digest(endingAt: Self.hour(6).addingTimeInterval(30))
        recorder.record(.digestValid(newer, .standard, start: Self.hour(5), end: Self.hour(6).addingTimeInterval(30)))
        recorder.record(.chainLinkBroken(newer: newer, older: Self.digest(endingAt: Self.hour(5)), .hashMismatch))
        recorder.record(.digestInvalid(Self.digest(endingAt: Self.hour(5)), .standard, .notFound))
        recorder.record(.digestsMissing(folder: Self.location("folder/"), .standard, count: 2, from: Self.hour(2), to: Self.hour(5)))
        recorder.record(.digestValid(Self.digest(endingAt: Self.hour(2)), .standard, start: Self.hour(1), end: Self.hour(2)))
        #expect(recorder.spans == [
            CoverageSpan(start: Self.hour(1), end: Self.hour(2), state: .verified),
            CoverageSpan(start: Self.hour(2), end: Self.hour(4), state: .missing),
            CoverageSpan(start: Self.hour(4), end: Self.hour(6).addingTimeInterval(30), state: .invalid),
        ])
        // The oldest digest of a range, invalid, with nothing older: the hour its key names.
        var alone = CoverageRecorder()
        alone.record(.digestInvalid(Self.digest(endingAt: Self.hour(1)), .standard, .signatureVerificationFailed))
        #expect(alone.spans == [CoverageSpan(start: Self.hour(0), end: Self.hour(1), state: .invalid)])
    }
}
