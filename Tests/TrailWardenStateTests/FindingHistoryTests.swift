import Foundation
import Testing
import TrailWardenCore
@testable import TrailWardenState

@Suite struct FindingHistoryTests {
    @Test func firstSeenStaysLastSeenAdvancesAndMissingOnesResolveOnRequest() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: directory.statePath)
        let chain = Fixture.chain()
        let other = Fixture.chain(account: "444455556666")
        let a = RecordedFinding(kind: "invalid-log", object: "a.json.gz", message: "hash mismatch")
        let b = RecordedFinding(kind: "invalid-log", object: "b.json.gz", message: "hash mismatch")

        let run1 = try await store.beginRun(caller: "test", request: "{}", at: Fixture.date(0))
        try await store.record(Fixture.result(chain, findings: [a, b]), run: run1, at: Fixture.date(10))
        try await store.record(Fixture.result(other, findings: [b]), run: run1, at: Fixture.date(11))

        let run2 = try await store.beginRun(caller: "test", request: "{}", at: Fixture.date(100))
        var a2 = a
        a2.message = "hash mismatch again"
        try await store.record(Fixture.result(chain, findings: [a2]), run: run2, at: Fixture.date(110))

        // Not seen in run 2, but record() never resolves.
        let afterRun2 = try await store.findings(chain: chain)
        #expect(afterRun2.map(\.status) == ["open", "open"])
        let storedA = try #require(afterRun2.first { $0.key == a.key })
        #expect(storedA.firstSeenRun == run1)
        #expect(storedA.firstSeenAt == Fixture.date(10))
        #expect(storedA.lastSeenRun == run2)
        #expect(storedA.lastSeenAt == Fixture.date(110))
        #expect(storedA.message == "hash mismatch again")
        let storedB = try #require(afterRun2.first { $0.key == b.key })
        #expect(storedB.lastSeenRun == run1)

        try await store.resolveFindings(chain: chain, notIn: [a.key], run: run2, at: Fixture.date(120))
        let resolved = try await store.findings(chain: chain)
        #expect(resolved.first { $0.key == a.key }?.status == StoredFinding.open)
        #expect(resolved.first { $0.key == b.key }?.status == StoredFinding.resolved)
        #expect(try await store.findings(chain: other).map(\.status) == ["open"])
        #expect(try await store.findings(chain: nil).count == 3)

        // Seen again: reopened, first sighting kept.
        let run3 = try await store.beginRun(caller: "test", request: "{}", at: Fixture.date(200))
        try await store.record(Fixture.result(chain, findings: [b]), run: run3, at: Fixture.date(210))
        let reopened = try #require(try await store.findings(chain: chain).first { $0.key == b.key })
        #expect(reopened.status == StoredFinding.open)
        #expect(reopened.firstSeenRun == run1)
        #expect(reopened.lastSeenRun == run3)
    }

    @Test func resolvingAnUnknownChainDoesNothing() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: directory.statePath)
        let run = try await store.beginRun(caller: "test", request: "{}", at: Fixture.date(0))
        try await store.resolveFindings(chain: Fixture.chain(), notIn: [], run: run, at: Fixture.date(1))
        #expect(try await store.findings(chain: nil).isEmpty)
    }
}
