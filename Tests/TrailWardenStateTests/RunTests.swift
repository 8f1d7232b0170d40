import Foundation
import Testing
@testable import TrailWardenState
import TrailWardenVocabulary

@Suite struct RunTests {
    @Test func runsAreRecordedFromBeginToFinish() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: directory.statePath)
        let configurationSHA256 = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"
        let first = try await store.beginRun(caller: "arn:aws:sts::111122223333:assumed-role/audit/me", configurationSHA256: configurationSHA256,
                                             request: #"{"since":"2024-01-01"}"#, at: Fixture.date(0))
        let second = try await store.beginRun(caller: "cron", request: "{}", at: Fixture.date(50))
        var totals = RunTotals()
        totals.chains = 3
        try await store.finishRun(first, status: .incomplete, totals: totals, errors: ["--account 1 is not configured"], at: Fixture.date(30))

        let runs = try await store.runs()
        #expect(runs == [
            RunSummary(id: first, startedAt: Fixture.date(0), finishedAt: Fixture.date(30),
                       caller: "arn:aws:sts::111122223333:assumed-role/audit/me", request: #"{"since":"2024-01-01"}"#,
                       totals: totals, errors: ["--account 1 is not configured"], status: .incomplete,
                       configurationSHA256: configurationSHA256, trailwardenVersion: TrailWardenVersion.current),
            RunSummary(id: second, startedAt: Fixture.date(50), finishedAt: nil, caller: "cron", request: "{}",
                       totals: nil, errors: nil, status: .running, trailwardenVersion: TrailWardenVersion.current),
        ])
    }

    @Test func aFailedRunKeepsItsErrorsWithoutTotalsAndAnUnknownStatusIsAnError() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: directory.statePath)
        let run = try await store.beginRun(caller: "cron", request: "{}", at: Fixture.date(0))
        try await store.finishRun(run, status: .failed, totals: nil, errors: ["ListAccounts: AccessDenied"], at: Fixture.date(1))
        let failed = try #require(try await store.runs().first)
        #expect(failed.status == .failed && failed.totals == nil && failed.errors == ["ListAccounts: AccessDenied"])

        try await store.withDatabase { try $0.execute("UPDATE runs SET status = 'succeeded'") }
        let error = await #expect(throws: StateError.self) { try await store.runs() }
        #expect(error?.description.contains("run \(run) has an unknown status \"succeeded\"") == true)
    }

    @Test func aRunRecordedBeforeMigration005HasNoConfigurationHashOrVersion() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: directory.statePath)
        let run = try await store.beginRun(caller: "cron", configurationSHA256: "ab", request: "{}", at: Fixture.date(0))
        try await store.withDatabase { try $0.execute("UPDATE runs SET configuration_sha256 = NULL, trailwarden_version = NULL") }
        let old = try #require(try await store.runs().first)
        #expect(old.id == run && old.configurationSHA256 == nil && old.trailwardenVersion == nil)
    }

    @Test func finishingAnUnknownRunFails() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: directory.statePath)
        let error = await #expect(throws: StateError.self) {
            try await store.finishRun(7, status: .complete, totals: RunTotals(), errors: [], at: Fixture.date(0))
        }
        #expect(error?.kind == .invalid)
    }

    @Test func aClosedStoreRefusesWork() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: directory.statePath)
        await store.close()
        let error = await #expect(throws: StateError.self) { try await store.runs() }
        #expect(error?.kind == .closed)
    }
}
