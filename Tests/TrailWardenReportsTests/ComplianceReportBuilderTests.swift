import Foundation
import Testing
import TrailWardenCore
import TrailWardenState
@testable import TrailWardenReports
import TrailWardenVocabulary

/// The builder over a real state: two runs over one chain, a second chain, a
/// posture finding and an account error.
@Suite struct ComplianceReportBuilderTests {
    /// The report of `period` read from `store` a chain at a time, collected in memory.
    static func report(_ store: SQLiteStateStore, period: ComplianceReport.Period, run: Int64? = nil,
                       generatedAt: Date) async throws -> ComplianceReport {
        try await ComplianceReportSource.open([store], query: .init(from: period.from, to: period.to, accounts: [], run: run),
                                              generatedAt: generatedAt).report()
    }

    /// The default period: the oldest validated start to the newest end.
    static func validatedPeriod(_ store: SQLiteStateStore, run: Int64?) async throws -> ComplianceReport.Period? {
        try await store.validatedRange(.init(from: .distantPast, to: .distantFuture, accounts: [], run: run)).map { .init(from: $0.from, to: $0.to) }
    }

    static func date(_ hours: Double) -> Date { Date(timeIntervalSince1970: 1_790_000_000 + hours * 3600) }
    static let chain = DigestChain(bucket: "b", prefix: nil, organizationID: nil, accountID: "111111111111", trailName: "t",
                                   homeRegion: "us-east-1", sourceRegion: "us-east-1")
    static let other = DigestChain(bucket: "b", prefix: nil, organizationID: nil, accountID: "222222222222", trailName: "t",
                                   homeRegion: "us-east-1", sourceRegion: "eu-west-1")
    static let trailARN = "arn:aws:cloudtrail:us-east-1:111111111111:trail/t"

    static func result(_ chain: DigestChain, hours: ClosedRange<Double>, valid: Int, findings: [RecordedFinding] = [],
                       coverage: [CoverageSpan] = [], error: String? = nil) -> ChainResult {
        var tally = ValidationTally()
        tally.validDigests = valid
        tally.validLogs = valid * 2
        tally.invalidLogs = findings.count
        return ChainResult(chain: chain, trailARN: trailARN, rangeStart: date(hours.lowerBound), rangeEnd: date(hours.upperBound),
                           tally: tally, findings: findings, error: error, coverage: coverage)
    }

    static func state() async throws -> (SQLiteStateStore, ReportFixture.TemporaryDirectory) {
        let directory = try ReportFixture.TemporaryDirectory()
        let store = try SQLiteStateStore(path: directory.url.appending(path: "state.sqlite").path)
        let bad = RecordedFinding(kind: FindingKind(rawValue: "log-hash-mismatch"), object: "s3://b/bad.json.gz", message: "Log file\ts3://b/bad.json.gz\tINVALID: hash value doesn't match")
        let stopped = RecordedFinding(kind: FindingKind(rawValue: "trail-logging-stopped"), object: trailARN, message: "Trail\t\(trailARN)\tINVALID: logging is stopped")

        let run1 = try await store.beginRun(caller: "test", request: "{}", at: date(10))
        try await store.record(result(chain, hours: 0...10, valid: 8, coverage: [
            CoverageSpan(start: date(1), end: date(5), state: .verified), CoverageSpan(start: date(5), end: date(6), state: .missing),
            CoverageSpan(start: date(6), end: date(9), state: .verified),
        ]), run: run1, at: date(10))
        try await store.record(result(other, hours: 0...10, valid: 0, error: "AccessDenied"), run: run1, at: date(10))
        try await store.record(AccountResult(accountID: chain.accountID, postureFindings: [stopped], errors: [], postureComplete: true),
                               run: run1, at: date(10))
        try await store.record(AccountResult(accountID: other.accountID, postureFindings: [], errors: ["DescribeTrails: throttled"],
                                             postureComplete: false), run: run1, at: date(10))
        try await store.finishRun(run1, status: .incomplete, totals: RunTotals(), errors: ["organization discovery needs AWS"], at: date(10))
        let run2 = try await store.beginRun(caller: "test", request: "{}", at: date(20))
        try await store.record(result(chain, hours: 10...20, valid: 9, findings: [bad], coverage: [
            CoverageSpan(start: date(9), end: date(12), state: .verified), CoverageSpan(start: date(12), end: date(13), state: .invalid),
            CoverageSpan(start: date(13), end: date(19), state: .verified),
        ]), run: run2, at: date(20))
        try await store.recordAlarm(AlarmOutcomeRecord(run: run2, target: "sns:t", status: .delivered, findings: 2, attempts: 1, error: nil),
                                    delivered: [], at: date(20))
        try await store.finishRun(run2, status: .complete, totals: RunTotals(), errors: [], at: date(20))
        return (store, directory)
    }

    /// A full rescan validates the same digests again: findings, chains and accounts are counted
    /// once, digests and log files are sums over the two runs and are labelled so; the rescan's
    /// own report counts its objects plainly. Each run names its caller, configuration and build.
    @Test func aRescanCountsObjectsOnceAndLabelsValidationSums() async throws {
        let directory = try ReportFixture.TemporaryDirectory()
        let store = try SQLiteStateStore(path: directory.url.appending(path: "state.sqlite").path)
        let bad = RecordedFinding(kind: .logHashMismatch, object: "s3://b/bad.json.gz", message: "Log file\ts3://b/bad.json.gz\tINVALID: hash value doesn't match")
        var runs = [Int64]()
        for (index, hours) in [0.0...773, 0.5...773.5].enumerated() {
            let run = try await store.beginRun(caller: "arn:aws:sts::111111111111:assumed-role/audit/s\(index)",
                                               configurationSHA256: "c0ffee\(index)", request: "{}", at: Self.date(hours.upperBound))
            try await store.record(Self.result(Self.chain, hours: hours, valid: 773, findings: [bad]), run: run, at: Self.date(hours.upperBound))
            try await store.finishRun(run, status: .complete, totals: RunTotals(), errors: [], at: Self.date(hours.upperBound))
            runs.append(run)
        }
        let report = try await Self.report(store, period: .init(from: Self.date(0), to: Self.date(774)), generatedAt: Self.date(775))
        #expect(report.summary.findings == 1 && report.summary.chains == 1 && report.summary.accounts == 1)
        #expect(report.summary.validDigests == 2 * 773 && report.summary.validationRuns == 2)
        #expect(report.runs.map(\.id) == runs && report.runs.map(\.configurationSHA256) == ["c0ffee0", "c0ffee1"])
        #expect(report.runs.allSatisfy { $0.trailwardenVersion == TrailWardenVersion.current && $0.caller.hasPrefix("arn:aws:sts::") })
        let markdown = try render(report, as: .markdown).text
        #expect(markdown.contains("| Digest validations valid / invalid (summed over 2 runs) | 1546 / 0 |"))

        let own = try await Self.report(store, period: .init(from: Self.date(0), to: Self.date(774)), run: runs[1], generatedAt: Self.date(775))
        #expect(own.summary.validDigests == 773 && own.summary.validationRuns == 1 && own.summary.findings == 1)
        #expect(try render(own, as: .markdown).text.contains("| Digests valid / invalid | 773 / 0 |"))
    }

    @Test func theWholeHistoryAddsUpAndEveryTimelineCoversThePeriod() async throws {
        let (store, directory) = try await Self.state()
        _ = directory
        let period = try #require(try await Self.validatedPeriod(store, run: nil))
        #expect(period == ComplianceReport.Period(from: Self.date(0), to: Self.date(20)))
        let report = try await Self.report(store, period: period, generatedAt: Self.date(21))

        #expect(report.summary.accounts == 2 && report.summary.chains == 2)
        #expect(report.summary.validDigests == 17 && report.summary.validLogs == 34 && report.summary.invalidLogs == 1)
        #expect(report.summary.findings == 2 && report.summary.openFindings == 2)
        #expect(report.summary.findingsByCategory == ["invalid-log": 1, "posture": 1])
        // A chain error, an account error and a scan-wide error.
        #expect(report.summary.errors == 3)
        #expect(report.runs.map(\.errors) == [["organization discovery needs AWS"], []])
        #expect(report.runs.last?.alarms.map(\.target) == ["sns:t"])

        let mine = try #require(report.accounts.first { $0.accountID == Self.chain.accountID })
        #expect(mine.postureFindings.map(\.kind) == [.trailLoggingStopped])
        let timeline = try #require(mine.chains.first?.timeline)
        #expect(timeline.map(\.state) == [.noDigests, .verified, .missing, .verified, .invalid, .verified, .noDigests])
        #expect(timeline.first?.start == period.from && timeline.last?.end == period.to)
        #expect(zip(timeline, timeline.dropFirst()).allSatisfy { $0.end == $1.start })
        #expect(abs((mine.chains.first?.verifiedSeconds ?? 0) - 3600 * 16) < 0.001)
        #expect(abs(report.summary.verifiedSeconds - 3600 * 16) < 0.001 && report.summary.chainSeconds == 2 * 20 * 3600)

        let theirs = try #require(report.accounts.first { $0.accountID == Self.other.accountID })
        #expect(theirs.errors.map(\.message) == ["DescribeTrails: throttled"])
        #expect(theirs.chains.first?.errors.map(\.message) == ["AccessDenied"])
        #expect(theirs.chains.first?.timeline.map(\.state) == [.notScanned])
    }

    @Test func aPeriodBeyondTheScansIsNotScannedAndOneRunsReportIsThatRunOnly() async throws {
        let (store, directory) = try await Self.state()
        _ = directory
        let later = ComplianceReport.Period(from: Self.date(30), to: Self.date(40))
        let beyond = try await Self.report(store, period: later, generatedAt: Self.date(41))
        #expect(beyond.accounts.flatMap(\.chains).map(\.timeline) == [[.init(start: later.from, end: later.to, state: .notScanned)],
                                                                        [.init(start: later.from, end: later.to, state: .notScanned)]])
        #expect(beyond.summary.validDigests == 0 && beyond.summary.coverage == 0)

        let runs = try await store.runs()
        let period = try #require(try await Self.validatedPeriod(store, run: runs[1].id))
        let report = try await Self.report(store, period: period, run: runs[1].id, generatedAt: Self.date(21))
        #expect(period == ComplianceReport.Period(from: Self.date(10), to: Self.date(20)))
        #expect(report.runs.map(\.id) == [runs[1].id])
        #expect(report.summary.validDigests == 9 && report.summary.findings == 1 && report.summary.errors == 0)
        #expect(report.accounts.map(\.accountID) == [Self.chain.accountID])
    }

    @Test func aRescanThatNoLongerSeesAFalseHourShowsItVerifiedWhileAFailedOneChangesNothing() async throws {
        let (store, directory) = try await Self.state()
        _ = directory
        // A rescan that failed says nothing; a later one over hours 0-20 proves 1-19 and replaces what runs 1 and 2 said.
        let failed = try await store.beginRun(caller: "test", request: "{}", at: Self.date(21))
        try await store.record(Self.result(Self.chain, hours: 0...20, valid: 0, error: "throttled"), run: failed, at: Self.date(21))
        let period = ComplianceReport.Period(from: Self.date(0), to: Self.date(20))
        func timeline() async throws -> [ComplianceReport.Span] {
            let report = try await Self.report(store, period: period, generatedAt: Self.date(23))
            return try #require(report.accounts.first { $0.accountID == Self.chain.accountID }?.chains.first?.timeline)
        }
        #expect(try await timeline().map(\.state) == [.noDigests, .verified, .missing, .verified, .invalid, .verified, .noDigests])

        let rescan = try await store.beginRun(caller: "test", request: "{}", at: Self.date(22))
        try await store.record(Self.result(Self.chain, hours: 0...20, valid: 18, coverage: [
            CoverageSpan(start: Self.date(1), end: Self.date(19), state: .verified),
        ]), run: rescan, at: Self.date(22))
        let after = try await timeline()
        #expect(after.map(\.state) == [.noDigests, .verified, .noDigests])
        #expect(after.map(\.start) == [Self.date(0), Self.date(1), Self.date(19)])
    }
}
