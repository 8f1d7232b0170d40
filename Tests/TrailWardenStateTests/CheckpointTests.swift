import Foundation
import Testing
import TrailWardenCore
@testable import TrailWardenState

@Suite struct CheckpointTests {
    @Test func checkpointsRoundTripPerChain() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: directory.statePath)
        let run = try await store.beginRun(caller: "test", request: "{}", at: Fixture.date(0))
        let chains = [
            Fixture.chain(),
            Fixture.chain(region: "eu-west-1"),
            Fixture.chain(account: "444455556666"),
            Fixture.chain(trail: "other-trail"),
            Fixture.chain(organization: nil, prefix: nil),
        ]
        #expect(Set(chains).count == chains.count)
        for (index, chain) in chains.enumerated() {
            #expect(try await store.checkpoint(for: chain) == nil)
            let checkpoint = Fixture.checkpoint("digest-\(index)", end: Double(index) * 3600 + 0.123)
            try await store.record(Fixture.result(chain, checkpoint: checkpoint), run: run, at: Fixture.date(10))
        }
        for (index, chain) in chains.enumerated() {
            #expect(try await store.checkpoint(for: chain) == Fixture.checkpoint("digest-\(index)", end: Double(index) * 3600 + 0.123))
        }
    }

    @Test func aResultWithoutCheckpointKeepsTheStoredOne() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: directory.statePath)
        let chain = Fixture.chain()
        let first = try await store.beginRun(caller: "test", request: "{}", at: Fixture.date(0))
        try await store.record(Fixture.result(chain, checkpoint: Fixture.checkpoint("a", end: 60)), run: first, at: Fixture.date(1))
        let second = try await store.beginRun(caller: "test", request: "{}", at: Fixture.date(100))
        try await store.record(Fixture.result(chain, error: "AccessDenied"), run: second, at: Fixture.date(101))
        #expect(try await store.checkpoint(for: chain) == Fixture.checkpoint("a", end: 60))

        let third = try await store.beginRun(caller: "test", request: "{}", at: Fixture.date(200))
        try await store.record(Fixture.result(chain, checkpoint: Fixture.checkpoint("b", end: 120)), run: third, at: Fixture.date(201))
        #expect(try await store.checkpoint(for: chain) == Fixture.checkpoint("b", end: 120))
    }

    @Test func checkpointsSurviveReopening() async throws {
        let directory = try TemporaryDirectory()
        let chain = Fixture.chain(organization: nil, prefix: nil)
        do {
            let store = try SQLiteStateStore(path: directory.statePath)
            let run = try await store.beginRun(caller: "test", request: "{}", at: Fixture.date(0))
            try await store.record(Fixture.result(chain, checkpoint: Fixture.checkpoint("a", end: 60)), run: run, at: Fixture.date(1))
            await store.close()
        }
        let reopened = try SQLiteStateStore(path: directory.statePath)
        #expect(try await reopened.checkpoint(for: chain) == Fixture.checkpoint("a", end: 60))
    }
}
