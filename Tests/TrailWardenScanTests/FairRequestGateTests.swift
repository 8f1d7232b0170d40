import Foundation
import Testing
import TrailWardenStorage
import TrailWardenVocabulary
@testable import TrailWardenScan

/// The scan's request budget: the shared cap and, while accounts compete, the per-account
/// budgets hold; a freed place goes to the waiting account with the fewest requests in flight;
/// an account alone fills the shared cap.
@Suite struct FairRequestGateTests {
    /// Reads that stay in flight until the test lets one of an account go; counts what is in flight.
    actor HeldReads {
        private(set) var inFlight: [String: Int] = [:]
        private(set) var peak: [String: Int] = [:]
        private(set) var peakTotal = 0
        /// Reads that were let go and have left `inFlight`.
        private(set) var finished = 0
        private var held: [String: [CheckedContinuation<Void, Never>]] = [:]

        var total: Int { inFlight.values.reduce(0, +) }

        func hold(_ account: String) async {
            inFlight[account, default: 0] += 1
            peak[account] = max(peak[account] ?? 0, inFlight[account] ?? 0)
            peakTotal = max(peakTotal, total)
            await withCheckedContinuation { held[account, default: []].append($0) }
            inFlight[account, default: 0] -= 1
            finished += 1
        }

        /// Lets one held read of `account` finish; false if none is held.
        func letOneGo(_ account: String) -> Bool {
            guard var queue = held[account], !queue.isEmpty else { return false }
            let continuation = queue.removeFirst()
            held[account] = queue
            continuation.resume()
            return true
        }

        func letAllGo() {
            for continuation in held.values.joined() { continuation.resume() }
            held = [:]
        }
    }

    struct HeldStore: ObjectStore {
        let reads: HeldReads
        let account: String

        func listKeys(bucket: String, prefix: String, startAfter: String?) -> AsyncThrowingStream<String, any Error> {
            AsyncThrowingStream { $0.finish() }
        }

        func read<Consumer: BodyConsumer>(_ location: ObjectLocation, into consumer: inout Consumer) async throws -> UserMetadata {
            await reads.hold(account)
            return [:]
        }
    }

    /// Waits, a bounded number of turns, until `condition` holds; the test fails if it never does.
    static func eventually(_ condition: () async -> Bool) async throws {
        for turn in 0..<20_000 {
            if await condition() { return }
            if turn < 1_000 { await Task.yield() } else { try await Task.sleep(nanoseconds: 1_000_000) }
        }
        Issue.record("the condition never held")
    }

    /// Lets every read go until nothing is held or waiting.
    static func drain(_ reads: HeldReads, _ gate: FairRequestGate) async throws {
        try await eventually {
            await reads.letAllGo()
            let load = await gate.load
            return load.total == 0 && load.waiting.isEmpty
        }
    }

    @Test func aFreedPlaceGoesToTheAccountWithTheFewestInFlight() async throws {
        let gate = FairRequestGate(capacity: 4, perAccount: 3)
        let reads = HeldReads()
        let large = LimitedObjectStore(inner: HeldStore(reads: reads, account: "large"), gate: gate, account: "large")
        let small = LimitedObjectStore(inner: HeldStore(reads: reads, account: "small"), gate: gate, account: "small")
        /// Lets one read of `account` go, and waits until the place it freed is taken again.
        func letOneGo(_ account: String, leaving total: Int = 4) async throws {
            let finished = await reads.finished
            #expect(await reads.letOneGo(account))
            try await Self.eventually { let (done, now) = (await reads.finished, await reads.total); return done == finished + 1 && now == total }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            // The large account asks first, for more than its budget: alone, it fills the shared cap.
            for index in 0..<10 { group.addTask { _ = try await large.get(ObjectLocation(bucket: "b", key: "large-\(index)")) } }
            try await Self.eventually { let (now, waiting) = (await reads.total, await gate.load.waiting); return now == 4 && waiting == ["large": 6] }
            // The small one asks after it and waits; the large account's next freed place is the small one's.
            for index in 0..<6 { group.addTask { _ = try await small.get(ObjectLocation(bucket: "b", key: "small-\(index)")) } }
            try await Self.eventually { await gate.load.waiting == ["large": 6, "small": 6] }
            try await letOneGo("large")
            // The cap is full, the large account back at its budget.
            #expect(await reads.inFlight == ["large": 3, "small": 1])
            // A large account's read ends: its place goes to the small account, which has fewer in flight.
            try await letOneGo("large")
            #expect(await reads.inFlight == ["large": 2, "small": 2])
            // Whichever ends, the account left with fewer in flight gets the place.
            try await letOneGo("small")
            #expect(await reads.inFlight == ["large": 2, "small": 2])
            try await letOneGo("large")
            #expect(await reads.inFlight == ["large": 2, "small": 2])
            #expect(await gate.load.waiting == ["large": 5, "small": 3])
            // Once the small account has nothing left to ask, the large one takes up to its budget while the
            // small one still has reads in flight, and the whole cap once it has none.
            for _ in 0..<3 { try await letOneGo("small") }
            #expect(await reads.inFlight == ["large": 2, "small": 2])
            #expect(await gate.load.waiting == ["large": 5])
            try await letOneGo("small")
            #expect(await reads.inFlight == ["large": 3, "small": 1])
            try await letOneGo("small")
            #expect(await reads.inFlight == ["large": 4, "small": 0])
            try await Self.drain(reads, gate)
            try await group.waitForAll()
        }
        #expect(await reads.peak == ["large": 4, "small": 2])
        #expect(await reads.peakTotal == 4)
    }

    @Test func theSharedCapStaysFullAndEvenlySpreadOverManyAccounts() async throws {
        let gate = FairRequestGate(capacity: 5, perAccount: 2)
        let reads = HeldReads()
        let accounts = ["a", "b", "c", "d"]
        try await withThrowingTaskGroup(of: Void.self) { group in
            func ask(_ account: String) {
                let store = LimitedObjectStore(inner: HeldStore(reads: reads, account: account), gate: gate, account: account)
                for index in 0..<8 { group.addTask { _ = try await store.get(ObjectLocation(bucket: "b", key: "\(account)-\(index)")) } }
            }
            // The first account to ask is alone and fills the cap; the others ask after it.
            ask("a")
            try await Self.eventually { let (now, waiting) = (await reads.total, await gate.load.waiting); return now == 5 && waiting == ["a": 3] }
            for account in accounts.dropFirst() { ask(account) }
            try await Self.eventually { await gate.load.waiting.values.reduce(0, +) == 27 }
            // Its freed places go to the others in turn, until it is back within its budget.
            for _ in 0..<3 {
                let finished = await reads.finished
                #expect(await reads.letOneGo("a"))
                try await Self.eventually { let (done, now) = (await reads.finished, await reads.total); return done == finished + 1 && now == 5 }
            }
            #expect(await reads.inFlight == ["a": 2, "b": 1, "c": 1, "d": 1])
            // Let reads go one by one, always from an account with the most in flight.
            for step in 0..<12 {
                let inFlight = await reads.inFlight
                let busiest = try #require(accounts.max { (inFlight[$0] ?? 0, $1) < (inFlight[$1] ?? 0, $0) })
                let finished = await reads.finished
                #expect(await reads.letOneGo(busiest))
                try await Self.eventually { let (done, now) = (await reads.finished, await reads.total); return done == finished + 1 && now == 5 }
                let now = await reads.inFlight
                #expect(now.values.allSatisfy { $0 <= 2 })
                // Every account still asking runs at most one fewer than the busiest.
                let waiting = await gate.load.waiting
                #expect(waiting.keys.allSatisfy { (now[$0] ?? 0) >= (now.values.max() ?? 0) - 1 }, "step \(step): \(now)")
            }
            // While they all asked, no account went past its budget (draining, the last one alone may).
            let peak = await reads.peak
            #expect(peak["a"] == 5 && accounts.dropFirst().allSatisfy { (peak[$0] ?? 0) <= 2 })
            try await Self.drain(reads, gate)
            try await group.waitForAll()
        }
        #expect(await reads.peakTotal == 5)
    }

    /// The tail of a scan: an account alone fills the shared cap, and is held to its budget again as soon as
    /// another account asks, each of its freed places going to the newcomer until both are within their budgets.
    @Test func anAccountAloneFillsTheSharedCapUntilAnotherAsks() async throws {
        let gate = FairRequestGate(capacity: 4, perAccount: 2)
        let reads = HeldReads()
        let large = LimitedObjectStore(inner: HeldStore(reads: reads, account: "large"), gate: gate, account: "large")
        let small = LimitedObjectStore(inner: HeldStore(reads: reads, account: "small"), gate: gate, account: "small")
        func letOneGo(_ account: String, leaving total: Int) async throws {
            let finished = await reads.finished
            #expect(await reads.letOneGo(account))
            try await Self.eventually { let (done, now) = (await reads.finished, await reads.total); return done == finished + 1 && now == total }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 { group.addTask { _ = try await large.get(ObjectLocation(bucket: "b", key: "large-\(index)")) } }
            try await Self.eventually { let (now, waiting) = (await reads.total, await gate.load.waiting); return now == 4 && waiting == ["large": 4] }
            for index in 0..<3 { group.addTask { _ = try await small.get(ObjectLocation(bucket: "b", key: "small-\(index)")) } }
            try await Self.eventually { await gate.load.waiting == ["large": 4, "small": 3] }
            #expect(await reads.inFlight == ["large": 4])
            try await letOneGo("large", leaving: 4)
            #expect(await reads.inFlight == ["large": 3, "small": 1])
            try await letOneGo("large", leaving: 4)
            #expect(await reads.inFlight == ["large": 2, "small": 2])
            // Both at their budgets: the large account's freed place is its own again, the small one's its own.
            try await letOneGo("large", leaving: 4)
            #expect(await reads.inFlight == ["large": 2, "small": 2])
            try await letOneGo("small", leaving: 4)
            #expect(await reads.inFlight == ["large": 2, "small": 2])
            #expect(await gate.load.waiting == ["large": 3])
            // The small account winds down: while it holds a place the large one stays at its budget, a place idle.
            try await letOneGo("small", leaving: 3)
            #expect(await reads.inFlight == ["large": 2, "small": 1])
            // Alone again, the large account fills the cap.
            try await letOneGo("small", leaving: 4)
            #expect(await reads.inFlight == ["large": 4, "small": 0])
            #expect(await gate.load.waiting == ["large": 1])
            try await Self.drain(reads, gate)
            try await group.waitForAll()
        }
        #expect(await reads.peak == ["large": 4, "small": 2])
    }
}
