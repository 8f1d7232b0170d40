import Foundation
import Testing
import TrailWardenCore
import TrailWardenState
import TrailWardenVocabulary
@testable import TrailWardenReports

/// The report of a sharded scan's states: everything of each state kept, and the runs,
/// numbered from 1 in every state, numbered anew in the order they started, with every
/// reference to a run (results, coverage, findings, account errors, alarm outcomes) following its run.
struct HistoryMergingTests {
    typealias Fixture = ComplianceReportBuilderTests

    static let third = DigestChain(bucket: "b", prefix: nil, organizationID: nil, accountID: "333333333333", trailName: "t",
                                   homeRegion: "us-east-1", sourceRegion: "us-east-1")

    @Test func runsAreNumberedAnewAndEveryReferenceFollowsItsRun() async throws {
        let (first, firstDirectory) = try await Fixture.state()
        let secondDirectory = try ReportFixture.TemporaryDirectory()
        let second = try SQLiteStateStore(path: secondDirectory.url.appending(path: "state.sqlite").path)
        // The second shard's one run started between the first shard's two (at hours 10 and 20).
        let run = try await second.beginRun(caller: "shard 1", request: "{}", at: Fixture.date(15))
        let gap = RecordedFinding(kind: FindingKind(rawValue: "digests-missing"), object: "s3://b/gap.json.gz", message: "gap")
        try await second.record(Fixture.result(Self.third, hours: 0...15, valid: 5, findings: [gap],
                                               coverage: [CoverageSpan(start: Fixture.date(0), end: Fixture.date(15), state: .verified)]),
                                run: run, at: Fixture.date(15))
        try await second.finishRun(run, status: .complete, totals: RunTotals(), errors: [], at: Fixture.date(15))

        func source(_ states: [SQLiteStateStore]) async throws -> ComplianceReportSource {
            try await ComplianceReportSource.open(states, query: .init(from: Fixture.date(0), to: Fixture.date(20), accounts: [], run: nil),
                                                  generatedAt: Fixture.date(30))
        }
        let merged = try await source([first, second]).report()
        let alone = try await source([first]).report()
        let findings = merged.accounts.flatMap { $0.postureFindings + $0.chains.flatMap(\.findings) }
        #expect(merged.runs.map(\.id) == [1, 2, 3])
        #expect(merged.runs.map(\.caller) == ["test", "shard 1", "test"])
        #expect(merged.accounts.flatMap(\.chains).count == alone.accounts.flatMap(\.chains).count + 1)
        let third = try #require(merged.accounts.flatMap(\.chains).first { $0.chain == Self.third })
        // Coverage claims follow their runs too, or the newest-run rule would drop them.
        #expect(third.timeline.contains { $0.state == .verified })
        #expect(findings.first { $0.object == "s3://b/gap.json.gz" }.map { [$0.firstSeenRun, $0.lastSeenRun] } == [2, 2])
        #expect(findings.first { $0.object == "s3://b/bad.json.gz" }.map { [$0.firstSeenRun, $0.lastSeenRun] } == [3, 3])
        #expect(merged.accounts.flatMap(\.errors).map(\.run) == [1])
        #expect(merged.runs.flatMap(\.alarms).map(\.run) == [3])
        #expect(merged.summary.chains == alone.summary.chains + 1 && merged.summary.validDigests == alone.summary.validDigests + 5)

        // One state keeps its own run numbers.
        #expect(alone.runs.map(\.id) == (try await first.runs()).map(\.id))

        // Streamed, every format writes what the report collected in memory renders as.
        for format in ReportFormat.allCases {
            let spool = MemorySpool()
            let layout = try await source([first, second]).write(as: format, to: spool)
            let rendered = try render(merged, as: format)
            #expect(spool.text(of: layout.files[0].segments) == rendered.text, "\(format)")
            #expect(layout.files.dropFirst().map { spool.text(of: $0.segments) } == rendered.companions.map(\.text), "\(format)")
        }
        await first.close()
        await second.close()
        withExtendedLifetime((firstDirectory, secondDirectory)) {}
    }

    @Test func aRunThatTwoStatesHoldIsOneRun() async throws {
        let (first, directory) = try await Fixture.state()
        let newest = try #require(try await first.runs().last)
        let query = StateHistory.Query(from: Fixture.date(0), to: Fixture.date(20), accounts: [], run: nil)
        let alone = try await ComplianceReportSource.open([first], query: query, generatedAt: Fixture.date(30)).report()
        var outcome = try #require(alone.runs.last?.alarms.first)
        // A resize copied the newest run, with its alarm outcome, into another shard's state under another id.
        let secondDirectory = try ReportFixture.TemporaryDirectory()
        let second = try SQLiteStateStore(path: secondDirectory.url.appending(path: "state.sqlite").path)
        let copy = try await second.beginRun(caller: newest.caller, request: newest.request, at: newest.startedAt)
        try #require(copy != newest.id)
        try await second.finishRun(copy, status: newest.status, totals: newest.totals, errors: newest.errors ?? [], at: newest.finishedAt ?? newest.startedAt)
        outcome.run = copy
        try await second.recordAlarm(outcome, delivered: [], at: Fixture.date(20))
        let merged = try await ComplianceReportSource.open([first, second], query: query, generatedAt: Fixture.date(30)).report()
        #expect(merged.runs.filter { $0.startedAt == newest.startedAt }.count == 1)
        #expect(merged.runs.count == alone.runs.count)
        #expect(merged.runs.flatMap(\.alarms).count == alone.runs.flatMap(\.alarms).count)
        #expect(Set(merged.runs.map(\.id)).count == merged.runs.count)
        await first.close()
        await second.close()
        withExtendedLifetime((directory, secondDirectory)) {}
    }

    @Test func anUnreportedShardIsAFailedRunThatTheSummaryCounts() {
        var report = ReportFixture.report
        let errors = report.summary.errors
        let runs = report.runs.map(\.id)
        report.name(unreportedShard: "2/4", request: "{\"shard\":\"2/4\"}", reason: "no state among those given", at: ReportFixture.at(0))
        #expect(report.runs.count == runs.count + 1 && report.runs.last?.id == (runs.max() ?? 0) + 1)
        #expect(report.runs.last?.status == .failed && report.runs.last?.errors == ["shard 2/4: no state among those given"])
        #expect(report.summary.errors == errors + 1)
    }
}
