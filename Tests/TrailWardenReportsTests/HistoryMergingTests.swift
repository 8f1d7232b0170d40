import Foundation
import Testing
import TrailWardenCore
import TrailWardenState
import TrailWardenVocabulary
@testable import TrailWardenReports

/// The histories of a sharded scan's states as one: everything of each state kept, and the
/// runs, numbered from 1 in every state, numbered anew in the order they started, with every
/// reference to a run (results, findings, account errors, alarm outcomes) following its run.
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

        let parts = [try await first.history(from: .distantPast, to: .distantFuture, accounts: [], run: nil),
                     try await second.history(from: .distantPast, to: .distantFuture, accounts: [], run: nil)]
        let merged = try #require(StateHistory.merging(parts))
        #expect(merged.runs.map(\.id) == [1, 2, 3])
        #expect(merged.runs.map(\.caller) == ["test", "shard 1", "test"])
        #expect(merged.chains.count == parts[0].chains.count + parts[1].chains.count)
        let thirdResults = merged.chains.filter { $0.chain == Self.third }.flatMap(\.results)
        #expect(thirdResults.map(\.run) == [2])
        // Coverage claims follow their runs too, or the newest-run rule would drop them.
        let thirdCoverage = merged.chains.filter { $0.chain == Self.third }.flatMap(\.coverage)
        #expect(!thirdCoverage.isEmpty && thirdCoverage.allSatisfy { $0.run == 2 })
        #expect(merged.findings.first { $0.object == "s3://b/gap.json.gz" }.map { [$0.firstSeenRun, $0.lastSeenRun] } == [2, 2])
        #expect(merged.findings.first { $0.object == "s3://b/bad.json.gz" }.map { [$0.firstSeenRun, $0.lastSeenRun] } == [3, 3])
        #expect(merged.accountErrors.map(\.run) == [1])
        #expect(merged.alarmOutcomes.map(\.run) == [3])

        // One state is its own history, untouched; none is nothing.
        #expect(StateHistory.merging([parts[1]])?.runs == parts[1].runs)
        #expect(StateHistory.merging([]) == nil)
        await first.close()
        await second.close()
        withExtendedLifetime((firstDirectory, secondDirectory)) {}
    }

    @Test func aRunThatTwoStatesHoldIsOneRun() async throws {
        let (first, directory) = try await Fixture.state()
        let part = try await first.history(from: .distantPast, to: .distantFuture, accounts: [], run: nil)
        await first.close()
        withExtendedLifetime(directory) {}
        // A resize copied the first state's newest run, with its alarm outcomes, into another state under another id.
        var copied = try #require(part.runs.last)
        let original = copied.id
        copied.id = 7
        let outcomes = part.alarmOutcomes.filter { $0.run == original }.map { outcome in
            var outcome = outcome
            outcome.run = 7
            return outcome
        }
        try #require(!outcomes.isEmpty)
        var other = part
        other.chains = []
        other.findings = []
        other.accountErrors = []
        other.runs = [copied]
        other.alarmOutcomes = outcomes
        let merged = try #require(StateHistory.merging([part, other]))
        #expect(merged.runs.map(\.id) == Array(1...Int64(part.runs.count)))
        #expect(merged.alarmOutcomes.count == part.alarmOutcomes.count)
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
