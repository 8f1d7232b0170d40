import Foundation
import Testing
import TrailWardenCore
@testable import TrailWardenState
import TrailWardenVocabulary

@Suite struct FindingHistoryTests {
    @Test func firstSeenStaysLastSeenAdvancesAndOnlyAFullReexaminationResolves() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: directory.statePath)
        let chain = Fixture.chain()
        let other = Fixture.chain(account: "444455556666")
        let a = RecordedFinding(kind: FindingKind(rawValue: "invalid-log"), object: "a.json.gz", message: "hash mismatch")
        let b = RecordedFinding(kind: FindingKind(rawValue: "invalid-log"), object: "b.json.gz", message: "hash mismatch")

        let run1 = try await store.beginRun(caller: "test", request: "{}", at: Fixture.date(0))
        try await store.record(Fixture.result(chain, findings: [a, b]), run: run1, at: Fixture.date(10))
        try await store.record(Fixture.result(other, findings: [b]), run: run1, at: Fixture.date(11))

        // Run 2 validates only newer digests: what it does not see stays open.
        let run2 = try await store.beginRun(caller: "test", request: "{}", at: Fixture.date(100))
        var a2 = a
        a2.message = "hash mismatch again"
        try await store.record(Fixture.result(chain, findings: [a2], range: 3600...7200), run: run2, at: Fixture.date(110))
        let afterRun2 = try await store.findings(chain: chain)
        #expect(afterRun2.map(\.status) == [.open, .open])
        let storedA = try #require(afterRun2.first { $0.key == a.key })
        #expect(storedA.firstSeenRun == run1)
        #expect(storedA.firstSeenAt == Fixture.date(10))
        #expect(storedA.lastSeenRun == run2)
        #expect(storedA.lastSeenAt == Fixture.date(110))
        #expect(storedA.message == "hash mismatch again")
        #expect(storedA.accountID == chain.accountID)
        #expect(storedA.trailARN == "arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail")
        let storedB = try #require(afterRun2.first { $0.key == b.key })
        #expect(storedB.lastSeenRun == run1)

        // A failed rescan resolves nothing; a rescan of run 1's whole range that misses b resolves it.
        let run3 = try await store.beginRun(caller: "test", request: "{}", at: Fixture.date(200))
        try await store.record(Fixture.result(chain, error: "AccessDenied", range: 0...7200), run: run3, at: Fixture.date(205))
        #expect(try await store.findings(chain: chain).map(\.status) == [.open, .open])
        try await store.record(Fixture.result(other, range: 0...7200), run: run3, at: Fixture.date(206))
        let run4 = try await store.beginRun(caller: "test", request: "{}", at: Fixture.date(300))
        try await store.record(Fixture.result(chain, findings: [a], range: 0...7200), run: run4, at: Fixture.date(310))
        let resolved = try await store.findings(chain: chain)
        #expect(resolved.first { $0.key == a.key }?.status == .open)
        #expect(resolved.first { $0.key == b.key }?.status == .resolved)
        #expect(resolved.first { $0.key == b.key }?.resolvedAt == Fixture.date(310))
        #expect(try await store.findings(chain: other).map(\.status) == [.resolved])
        #expect(try await store.findings(chain: nil).count == 3)

        // Seen again: reopened, first sighting kept.
        let run5 = try await store.beginRun(caller: "test", request: "{}", at: Fixture.date(400))
        try await store.record(Fixture.result(chain, findings: [b], range: 7200...10800), run: run5, at: Fixture.date(410))
        let reopened = try #require(try await store.findings(chain: chain).first { $0.key == b.key })
        #expect(reopened.status == .open)
        #expect(reopened.resolvedAt == nil)
        #expect(reopened.firstSeenRun == run1)
        #expect(reopened.lastSeenRun == run5)
    }

    @Test func trailFindingsResolveOnlyWhenTheAccountsPostureWasReadCompletely() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: directory.statePath)
        let trail = "arn:aws:cloudtrail:us-east-1:111122223333:trail/main"
        let stopped = RecordedFinding(kind: .trailLoggingStopped, object: trail, message: "Trail\t\(trail)\tINVALID: logging is stopped")
        let run1 = try await store.beginRun(caller: "test", request: "{}", at: Fixture.date(0))
        try await store.record(AccountResult(accountID: "111122223333", postureFindings: [stopped], errors: [], postureComplete: true),
                               run: run1, at: Fixture.date(1))
        let stored = try #require(try await store.findings(chain: nil).first)
        #expect(stored.chain == nil)
        #expect(stored.trailARN == trail)
        #expect(stored.accountID == "111122223333")

        let run2 = try await store.beginRun(caller: "test", request: "{}", at: Fixture.date(100))
        try await store.record(AccountResult(accountID: "111122223333", postureFindings: [], errors: ["GetTrailStatus: throttled"],
                                             postureComplete: false), run: run2, at: Fixture.date(101))
        #expect(try await store.findings(chain: nil).map(\.status) == [.open])
        try await store.record(AccountResult(accountID: "111122223333", postureFindings: [], errors: [], postureComplete: true),
                               run: run2, at: Fixture.date(102))
        #expect(try await store.findings(chain: nil).map(\.status) == [.resolved])
    }
}
