import Foundation
import Testing
@testable import TrailWardenState

@Suite struct RunTests {
    @Test func runsAreRecordedFromBeginToFinish() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: directory.statePath)
        let first = try await store.beginRun(caller: "arn:aws:sts::111122223333:assumed-role/audit/me",
                                             request: #"{"since":"2024-01-01"}"#, at: Fixture.date(0))
        let second = try await store.beginRun(caller: "cron", request: "{}", at: Fixture.date(50))
        try await store.finishRun(first, totals: #"{"chains":3}"#, errors: "[]", status: "succeeded", at: Fixture.date(30))

        let runs = try await store.runs()
        #expect(runs == [
            RunSummary(id: first, startedAt: Fixture.date(0), finishedAt: Fixture.date(30),
                       caller: "arn:aws:sts::111122223333:assumed-role/audit/me", request: #"{"since":"2024-01-01"}"#,
                       totals: #"{"chains":3}"#, errors: "[]", status: "succeeded"),
            RunSummary(id: second, startedAt: Fixture.date(50), finishedAt: nil, caller: "cron", request: "{}",
                       totals: nil, errors: nil, status: RunSummary.running),
        ])
    }

    @Test func finishingAnUnknownRunFails() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: directory.statePath)
        let error = await #expect(throws: StateError.self) {
            try await store.finishRun(7, totals: "{}", errors: "[]", status: "succeeded", at: Fixture.date(0))
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
