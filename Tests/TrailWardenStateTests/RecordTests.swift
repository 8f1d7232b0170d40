import Foundation
import Testing
import TrailWardenCore
@testable import TrailWardenState
import TrailWardenVocabulary

@Suite struct RecordTests {
    @Test func aChainResultIsStoredWithItsFindings() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: directory.statePath)
        let chain = Fixture.chain()
        let run = try await store.beginRun(caller: "test", request: "{}", at: Fixture.date(0))
        let findings = [RecordedFinding(kind: FindingKind(rawValue: "invalid-log"), object: "a.json.gz", message: "hash mismatch"),
                        RecordedFinding(kind: FindingKind(rawValue: "missing-digest"), object: "2024-01-01T00:00:00Z", message: "gap")]
        let result = Fixture.result(chain, findings: findings, checkpoint: Fixture.checkpoint("a", end: 60))
        try await store.record(result, run: run, at: Fixture.date(5))

        let stored = try await store.chainResults(run: run)
        #expect(stored.count == 1)
        #expect(stored.first?.chain == chain)
        #expect(stored.first?.trailARN == result.trailARN)
        #expect(stored.first?.tally == result.tally)
        #expect(stored.first?.rangeStart == result.rangeStart)
        #expect(stored.first?.rangeEnd == result.rangeEnd)
        #expect(stored.first?.findingKeys == findings.map(\.key).sorted())
    }

    @Test func aFailingRecordWritesNothingOfThatChain() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: directory.statePath)
        let good = Fixture.chain()
        let bad = Fixture.chain(region: "eu-west-1")
        let run = try await store.beginRun(caller: "test", request: "{}", at: Fixture.date(0))
        try await store.record(Fixture.result(good, checkpoint: Fixture.checkpoint("g", end: 60)), run: run, at: Fixture.date(1))

        // The empty kind violates the findings CHECK constraint after the chain row, the
        // checkpoint, the chain result and the first finding were written.
        let findings = [RecordedFinding(kind: FindingKind(rawValue: "invalid-log"), object: "a.json.gz", message: "hash mismatch"),
                        RecordedFinding(kind: FindingKind(rawValue: ""), object: "b.json.gz", message: "rejected")]
        let error = await #expect(throws: StateError.self) {
            try await store.record(Fixture.result(bad, findings: findings, checkpoint: Fixture.checkpoint("b", end: 60)),
                                   run: run, at: Fixture.date(2))
        }
        #expect(error?.description.contains(directory.statePath) == true)
        #expect(error?.description.contains("CHECK constraint failed") == true)

        #expect(try await store.checkpoint(for: bad) == nil)
        #expect(try await store.findings(chain: bad).isEmpty)
        #expect(try await store.findings(chain: nil).isEmpty)
        #expect(try await store.chainResults(run: run).map(\.chain) == [good])
        #expect(try await store.checkpoint(for: good) == Fixture.checkpoint("g", end: 60))
    }

    @Test func recordingForAnUnknownRunFails() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: directory.statePath)
        await #expect(throws: StateError.self) {
            try await store.record(Fixture.result(Fixture.chain(), checkpoint: Fixture.checkpoint("a", end: 1)),
                                   run: 42, at: Fixture.date(0))
        }
        #expect(try await store.checkpoint(for: Fixture.chain()) == nil)
    }
}
