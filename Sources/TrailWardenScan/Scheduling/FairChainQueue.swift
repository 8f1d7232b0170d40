/// Which chain to start next: one of the account with the fewest chains running, ties in
/// turn (round robin over the accounts, in their order of first appearance), each account's
/// chains in their given order. So the chains running at once spread over as many accounts as
/// have chains left, and with them the per-account request budgets that fill the shared cap:
/// a large account gets one slot among many, not every slot until its chains run out.
struct FairChainQueue {
    private let accountOfItem: [Int]
    private let accounts: [String]
    /// Per account (by position in `accounts`): its items not yet started, in order.
    private var pending: [[Int]]
    private var nextPending: [Int]
    private var running: [Int]
    /// Where the round robin resumes.
    private var cursor = 0

    /// - Parameter accounts: the account of each item, by index.
    init(accounts itemAccounts: [String]) {
        var positions = [String: Int]()
        var accounts = [String]()
        var pending = [[Int]]()
        var accountOfItem = [Int]()
        for (index, account) in itemAccounts.enumerated() {
            let position = positions[account] ?? {
                positions[account] = accounts.count
                accounts.append(account)
                pending.append([])
                return accounts.count - 1
            }()
            pending[position].append(index)
            accountOfItem.append(position)
        }
        self.accounts = accounts
        self.pending = pending
        self.accountOfItem = accountOfItem
        nextPending = Array(repeating: 0, count: accounts.count)
        running = Array(repeating: 0, count: accounts.count)
    }

    /// The next item to start, marked running; nil when every item has started.
    mutating func next() -> Int? {
        var chosen: Int?
        for step in 0..<accounts.count {
            let position = (cursor + step) % accounts.count
            guard nextPending[position] < pending[position].count else { continue }
            if chosen.map({ running[position] < running[$0] }) ?? true { chosen = position }
            if running[position] == 0 { break }
        }
        guard let position = chosen else { return nil }
        let item = pending[position][nextPending[position]]
        nextPending[position] += 1
        running[position] += 1
        cursor = (position + 1) % accounts.count
        return item
    }

    /// Marks a started item finished.
    mutating func finished(_ item: Int) {
        running[accountOfItem[item]] -= 1
    }

    /// How many accounts have every item finished.
    var accountsDone: Int {
        (0..<accounts.count).filter { nextPending[$0] == pending[$0].count && running[$0] == 0 }.count
    }
}

/// Runs `operation` over `items`, at most `limit` at a time, starting them in the order of a
/// `FairChainQueue` over `account`. `finished` hears of each item as it completes (progress);
/// `handle` gets the results strictly in input order, on the calling task, so that what is
/// reported does not depend on timing. Results wait for their turn in a buffer of at most one
/// result per item, which the caller keeps anyway.
func forEachFairly<Item: Sendable, Output: Sendable>(
    _ items: [Item],
    account: (Item) -> String,
    limit: Int,
    operation: @escaping @Sendable (Item) async throws -> Output,
    finished: (Output, _ accountsDone: Int) -> Void,
    inOrder handle: (Int, Output) throws -> Void
) async throws {
    var queue = FairChainQueue(accounts: items.map(account))
    try await withThrowingTaskGroup(of: (Int, Output).self) { group in
        var inFlight = 0
        var nextToHandle = 0
        var done: [Int: Output] = [:]
        while nextToHandle < items.count {
            while inFlight < max(1, limit), let index = queue.next() {
                let item = items[index]
                group.addTask { (index, try await operation(item)) }
                inFlight += 1
            }
            guard let (index, output) = try await group.next() else { break }
            inFlight -= 1
            queue.finished(index)
            finished(output, queue.accountsDone)
            done[index] = output
            while let ready = done.removeValue(forKey: nextToHandle) {
                try handle(nextToHandle, ready)
                nextToHandle += 1
            }
        }
    }
}
