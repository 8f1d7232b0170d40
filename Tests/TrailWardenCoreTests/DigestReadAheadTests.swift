import Foundation
import Testing
import TrailWardenSimulation
import TrailWardenStorage
import TrailWardenVocabulary
@testable import TrailWardenCore

/// Reads ahead of the chain walk: many digests at once within the memory budget, each
/// read taking from the budget only as much as its digest inflates to.
@Suite struct DigestReadAheadTests {
    /// A store that holds every digest read for a while and counts how many are in flight at once.
    final class SlowDigestStore: ObjectStore, @unchecked Sendable {
        let base: any ObjectStore
        private let lock = NSLock()
        private var inFlight = 0
        private(set) var mostInFlight = 0

        init(_ base: any ObjectStore) { self.base = base }

        func listKeys(bucket: String, prefix: String, startAfter: String?) -> AsyncThrowingStream<String, any Error> {
            base.listKeys(bucket: bucket, prefix: prefix, startAfter: startAfter)
        }

        func read<Consumer: BodyConsumer>(_ location: ObjectLocation, into consumer: inout Consumer) async throws -> UserMetadata {
            guard location.key.contains("/CloudTrail-Digest/") else { return try await base.read(location, into: &consumer) }
            lock.withLock {
                inFlight += 1
                mostInFlight = max(mostInFlight, inFlight)
            }
            defer { lock.withLock { inFlight -= 1 } }
            try await Task.sleep(for: .milliseconds(50))
            return try await base.read(location, into: &consumer)
        }
    }

    @Test func anHoursDigestsAreReadAheadAtOnceBeyondWhatTheWorstCaseWouldReserve() async throws {
        let world = try await TestWorld.make(WorldSpec(accounts: 1, regions: ["us-east-1"], hours: 80, logsPerDigest: 1))
        defer { world.remove() }
        let chain = try #require(world.manifest.chains.first?.chain)
        let store = SlowDigestStore(world.store)
        let validator = ChainValidator(store: store, keys: world.keys, concurrency: 256)
        let outcome = try await validator.validate(ValidationRequest(chain: chain, start: world.manifest.start, end: world.manifest.end,
                                                                     checkUnreferenced: false)) { _ in }
        #expect(outcome.tally.validDigests == outcome.listedDigestCount && outcome.listedDigestCount >= 70, "\(outcome.listedDigestCount) digests")
        #expect(outcome.tally.invalidDigests == 0 && outcome.tally.invalidLogs == 0)
        let worstCaseReadsAhead = DigestPrefetcher.capacity / (DigestPrefetcher.heldPerInflatedByte * DigestPrefetcher.prefetchLimit)
        #expect(worstCaseReadsAhead == 32)
        #expect(store.mostInFlight > worstCaseReadsAhead, "at most \(store.mostInFlight) digests were read at once")
    }

    @Test func aGrantGrowsWithinTheBudgetAndNeverPastIt() {
        let budget = DigestMemoryBudget(capacity: 1000)
        let first = DigestMemoryGrant(budget: budget, held: 0)
        #expect(first.cover(100))
        #expect(first.held == 100)
        #expect(first.cover(150))
        #expect(first.held == 200, "grown by doubling")
        let second = DigestMemoryGrant(budget: budget, held: 0)
        #expect(second.cover(700))
        #expect(!first.cover(500), "only 100 bytes are left")
        #expect(first.cover(300), "the exact amount when doubling does not fit")
        #expect(first.held + second.held == 1000)
        #expect(!second.cover(701))
        budget.release(second.held)
        #expect(first.cover(800))
        #expect(first.held == 800)
    }
}
