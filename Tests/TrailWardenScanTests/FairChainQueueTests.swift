import Testing
@testable import TrailWardenScan

/// The order chains start in: the account with the fewest chains running, ties in turn.
@Suite struct FairChainQueueTests {
    @Test func aLargeAccountGetsOneSlotWhileOthersHaveChains() {
        // Sorted by account, as the coordinator hands them over: the large account's six chains first.
        let accounts = Array(repeating: "111111111111", count: 6) + ["222222222222", "333333333333", "444444444444"]
        var queue = FairChainQueue(accounts: accounts)
        let started = (0..<4).compactMap { _ in queue.next() }
        #expect(started.map { accounts[$0] } == ["111111111111", "222222222222", "333333333333", "444444444444"])
        // A small account finishes: nothing but the large account is left, so it gets the slot.
        queue.finished(started[1])
        #expect(queue.next().map { accounts[$0] } == "111111111111")
        #expect(queue.accountsDone == 1)
    }

    @Test func tiesGoInTurnAndEachAccountKeepsItsOrder() {
        let accounts = ["a", "a", "a", "b", "b", "b", "c", "c", "c"]
        var queue = FairChainQueue(accounts: accounts)
        #expect(queue.next() == 0)  // a
        #expect(queue.next() == 3)  // b
        queue.finished(0)
        #expect(queue.next() == 6)  // a and c run none: c, next in turn after b
        queue.finished(3)
        #expect(queue.next() == 1)  // a and b run none: a, next in turn after c
        queue.finished(6)
        #expect(queue.next() == 4)  // b and c run none: b, next in turn after a
        #expect(queue.next() == 7)  // every account runs one: c, next in turn
        #expect(queue.next() == 2)
        #expect(queue.next() == 5)
        #expect(queue.next() == 8)
        #expect(queue.next() == nil)
    }

    /// A whole schedule, chains finishing in a fixed pseudo-random order: no chain ever starts for an
    /// account while another account with chains left runs fewer.
    @Test func noAccountRunsMoreWhileAnotherWithChainsLeftRunsFewer() {
        let sizes = [40, 1, 3, 7, 2, 2, 12, 1]
        let accounts = sizes.enumerated().flatMap { account, size in Array(repeating: "account-\(account)", count: size) }
        var queue = FairChainQueue(accounts: accounts)
        var running = [Int]()
        var started = Set<Int>()
        var random = UInt64(42)
        while started.count < accounts.count || !running.isEmpty {
            while running.count < 5, let next = queue.next() {
                let runningCount = { (account: String) in running.filter { accounts[$0] == account }.count }
                let waitingAccounts = Set(accounts.indices.filter { !started.contains($0) && $0 != next }.map { accounts[$0] })
                #expect(waitingAccounts.allSatisfy { runningCount($0) >= runningCount(accounts[next]) })
                #expect(started.insert(next).inserted)
                #expect(accounts.indices.filter { accounts[$0] == accounts[next] && $0 < next }.allSatisfy(started.contains))
                running.append(next)
            }
            random = random &* 6364136223846793005 &+ 1442695040888963407
            let done = running.remove(at: Int(random >> 33) % running.count)
            queue.finished(done)
        }
        #expect(started.count == accounts.count)
        #expect(queue.accountsDone == sizes.count)
    }

    @Test func resultsAreHandledInInputOrderWhateverFinishesFirst() async throws {
        let accounts = ["a", "a", "b", "c", "c", "c"]
        var handled = [Int]()
        var finished = 0
        try await forEachFairly(Array(accounts.indices), account: { accounts[$0] }, limit: 3, operation: { index in
            // Later items finish sooner.
            for _ in 0..<(accounts.count - index) * 10 { await Task.yield() }
            return index
        }, finished: { _, _ in finished += 1 }, inOrder: { index, output in
            #expect(index == output)
            handled.append(index)
        })
        #expect(handled == Array(accounts.indices))
        #expect(finished == accounts.count)
    }
}
