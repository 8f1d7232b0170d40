import Foundation
import Testing
import TrailWardenStorage
import TrailWardenVocabulary
@testable import TrailWardenScan

/// One account's chains share one request budget.
@Suite struct AccountLimitsTests {
    /// Records the most reads in flight at once.
    actor Gauge {
        var current = 0
        var peak = 0
        func enter() { current += 1; peak = max(peak, current) }
        func leave() { current -= 1 }
    }

    struct SlowStore: ObjectStore {
        let gauge: Gauge

        func listKeys(bucket: String, prefix: String, startAfter: String?) -> AsyncThrowingStream<String, any Error> {
            AsyncThrowingStream { $0.finish() }
        }

        func read<Consumer: BodyConsumer>(_ location: ObjectLocation, into consumer: inout Consumer) async throws -> UserMetadata {
            await gauge.enter()
            try await Task.sleep(nanoseconds: 2_000_000)
            await gauge.leave()
            return [:]
        }
    }

    @Test func readsOfOneAccountNeverExceedItsBudget() async throws {
        let gauge = Gauge()
        let limits = AccountLimits(perAccount: 3)
        let semaphore = await limits.semaphore(for: "111111111111")
        #expect(await limits.semaphore(for: "111111111111") === semaphore)
        // Two "chains" of the same account, each with many reads in flight.
        let stores = (0..<2).map { _ in LimitedObjectStore(inner: SlowStore(gauge: gauge), semaphore: semaphore) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                let store = stores[index % 2]
                group.addTask {
                    var body = BodyCollector(limit: 0, subject: "\(index)")
                    _ = try await store.reread(ObjectLocation(bucket: "b", key: "\(index)"), into: &body)
                }
                group.addTask { _ = try await store.get(ObjectLocation(bucket: "b", key: "\(index)")) }
            }
            try await group.waitForAll()
        }
        #expect(await gauge.peak <= 3)
        #expect(await gauge.peak >= 1)
    }
}
