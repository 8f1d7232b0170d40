import Foundation
import Testing
import TrailWardenCore
@testable import TrailWardenState
import TrailWardenVocabulary

@Suite struct AlarmDeliveryTests {
    @Test func aFindingIsPendingPerTargetUntilItsDeliveryIsRecorded() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: directory.statePath)
        let run1 = try await store.beginRun(caller: "test", request: "{}", at: Fixture.date(0))
        let a = RecordedFinding(kind: .logHashMismatch, object: "s3://b/a.json.gz", message: "a")
        try await store.record(Fixture.result(Fixture.chain(), findings: [a]), run: run1, at: Fixture.date(1))

        let pending = try await store.pendingAlarms(target: "sns:topic")
        #expect(pending.map(\.object) == ["s3://b/a.json.gz"])
        try await store.recordAlarm(AlarmOutcomeRecord(run: run1, target: "sns:topic", status: .delivered, findings: 1,
                                                       attempts: 1, error: nil), delivered: pending.map(\.id), at: Fixture.date(2))
        try await store.recordAlarm(AlarmOutcomeRecord(run: run1, target: "webhook:x", status: .failed, findings: 1,
                                                       attempts: 3, error: "HTTP 500"), delivered: [], at: Fixture.date(2))
        #expect(try await store.pendingAlarms(target: "sns:topic").isEmpty)
        #expect(try await store.pendingAlarms(target: "webhook:x").map(\.id) == pending.map(\.id))

        // Seen again by a later run: still delivered, not pending again.
        let run2 = try await store.beginRun(caller: "test", request: "{}", at: Fixture.date(100))
        let b = RecordedFinding(kind: .logNotFound, object: "s3://b/b.json.gz", message: "b")
        try await store.record(Fixture.result(Fixture.chain(), findings: [a, b], range: 3600...7200), run: run2, at: Fixture.date(101))
        #expect(try await store.pendingAlarms(target: "sns:topic").map(\.object) == ["s3://b/b.json.gz"])
        #expect(try await store.pendingAlarms(target: "webhook:x").map(\.object) == ["s3://b/a.json.gz", "s3://b/b.json.gz"])
    }
}

@Suite struct HistoryTests {
    @Test func theHistoryOfAPeriodHasItsResultsCoverageFindingsErrorsAndRuns() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: directory.statePath)
        let chain = Fixture.chain()
        let other = Fixture.chain(account: "444455556666")
        let verified = CoverageSpan(start: Fixture.date(0), end: Fixture.date(3600), state: .verified)
        let invalid = CoverageSpan(start: Fixture.date(3600), end: Fixture.date(7200), state: .invalid)
        let finding = RecordedFinding(kind: .logHashMismatch, object: "s3://b/x.json.gz", message: "bad")

        let run1 = try await store.beginRun(caller: "test", request: "{}", at: Fixture.date(0))
        try await store.record(Fixture.result(chain, coverage: [verified]), run: run1, at: Fixture.date(10))
        try await store.record(Fixture.result(other), run: run1, at: Fixture.date(11))
        try await store.record(AccountResult(accountID: other.accountID, postureFindings: [], errors: ["cannot enter"], postureComplete: false),
                               run: run1, at: Fixture.date(12))
        let run2 = try await store.beginRun(caller: "test", request: "{}", at: Fixture.date(20_000))
        try await store.record(Fixture.result(chain, findings: [finding], range: 3600...7200, coverage: [invalid]), run: run2,
                               at: Fixture.date(20_010))
        try await store.recordAlarm(AlarmOutcomeRecord(run: run2, target: "sns:t", status: .failed, findings: 1, attempts: 3, error: "x"),
                                    delivered: [], at: Fixture.date(20_011))

        func query(_ from: Double, _ to: Double, accounts: Set<String> = [], run: Int64? = nil) -> StateHistory.Query {
            .init(from: Fixture.date(from), to: Fixture.date(to), accounts: accounts, run: run)
        }
        func chains(_ query: StateHistory.Query) async throws -> [StateHistory.Chain] {
            var chains = [StateHistory.Chain]()
            for entry in try await store.outline(query).chains { chains.append(try await store.chain(entry, query)) }
            return chains
        }
        let all = try await store.outline(query(0, 7200))
        #expect(all.chains.count == 2)
        #expect(all.accounts == [chain.accountID, other.accountID].sorted())
        let mine = try #require(try await chains(query(0, 7200)).first { $0.chain == chain })
        #expect(mine.results.map(\.run) == [run1, run2])
        #expect(mine.coverage.map(\.span) == [verified, invalid])
        #expect(mine.coverage.map(\.run) == [run1, run2])
        #expect(mine.lastRecorded == Fixture.date(20_010))
        #expect(mine.findings.map(\.object) == ["s3://b/x.json.gz"])
        #expect(try await store.account(other.accountID, runs: all.runs).errors
                == [StoredAccountError(run: run1, accountID: other.accountID, message: "cannot enter")])
        #expect(all.runs.map(\.id) == [run1, run2])
        #expect(all.alarmOutcomes.map(\.target) == ["sns:t"])
        #expect(try await store.validatedRange(query(0, 0)).map { [$0.from, $0.to] } == [Fixture.date(0), Fixture.date(7200)])

        // The second hour only: run 1's results end where it starts, so they still touch it;
        // the third hour: nothing validated it, but both chains were known by then.
        let later = try await chains(query(7300, 9000))
        #expect(later.count == 2)
        #expect(later.allSatisfy { $0.results.isEmpty && $0.coverage.isEmpty })
        // Before anything was validated: the chains are still listed (a report shows them not scanned).
        let earlier = try await chains(query(-9000, -7200))
        #expect(Set(earlier.map(\.chain.accountID)) == [chain.accountID, other.accountID])
        #expect(earlier.allSatisfy { $0.results.isEmpty && $0.coverage.isEmpty })

        let second = try await store.outline(query(0, 7200, run: run2))
        #expect(second.runs.map(\.id) == [run2])
        let secondChains = try await chains(query(0, 7200, run: run2))
        #expect(secondChains.flatMap(\.results).map(\.run) == [run2])
        #expect(secondChains.flatMap(\.coverage).map(\.span) == [invalid])
        #expect(secondChains.flatMap(\.findings).count == 1)
        #expect(try await store.account(other.accountID, runs: second.runs).errors.isEmpty)

        let one = try await store.outline(query(0, 7200, accounts: [other.accountID]))
        #expect(one.chains.map(\.chain) == [other])
        #expect(try await chains(query(0, 7200, accounts: [other.accountID])).flatMap(\.findings).isEmpty)
        #expect(try await store.account(other.accountID, runs: one.runs).errors.count == 1)
    }
}

@Suite struct MigrationToVersionTwoTests {
    @Test func findingsOfAVersionOneStateKeepTheirIdsAndGainTheirAccount() async throws {
        let directory = try TemporaryDirectory()
        let first = Array(Migration.embedded.prefix(1))
        let old = try SQLiteStateStore(path: directory.statePath, migrations: first, now: Date())
        let tally = String(decoding: try JSONEncoder().encode(ValidationTally()), as: UTF8.self)
        try await old.withDatabase { try $0.execute("""
            INSERT INTO runs (id, started_at_ms, caller, request, status) VALUES (1, 0, 'test', '{}', 'complete');
            INSERT INTO chains (id, bucket, account_id, trail_name, home_region, source_region) VALUES (7, 'b', '111122223333', 't', 'us-east-1', 'us-east-1');
            INSERT INTO chain_results (run_id, chain_id, trail_arn, range_start_ms, range_end_ms, tally, recorded_at_ms)
                VALUES (1, 7, 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t', 0, 1, '\(tally)', 1);
            INSERT INTO findings (id, chain_id, kind, object, message, first_seen_run, first_seen_at_ms, last_seen_run, last_seen_at_ms, status)
                VALUES (42, 7, 'log-not-found', 's3://b/k', 'm', 1, 5, 1, 5, 'open');
            INSERT INTO chain_result_findings (run_id, chain_id, finding_id) VALUES (1, 7, 42);
            """) }
        await old.close()

        let store = try SQLiteStateStore(path: directory.statePath)
        #expect(store.migrationsAppliedAtOpen == Array(2...Migration.embedded.count))
        let findings = try await store.findings(chain: nil)
        #expect(findings.map(\.id) == [42])
        #expect(findings.first?.accountID == "111122223333")
        #expect(findings.first?.trailARN == "arn:aws:cloudtrail:us-east-1:111122223333:trail/t")
        #expect(try await store.chainResults(run: 1).first?.findingKeys == ["log-not-found s3://b/k"])
        let violations = try await store.withDatabase { try $0.query("PRAGMA foreign_key_check") { $0.text(0) } }
        #expect(violations.isEmpty)
    }
}
