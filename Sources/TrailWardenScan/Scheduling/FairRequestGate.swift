/// The scan's request budget: at most `capacity` object-store requests in flight for the
/// whole scan (`--max-requests`, `limits.requestsInFlight`), at most `perAccount` for one
/// account's chains together (`limits.requestsPerAccount`). A freed place goes to the waiting
/// account with the fewest requests in flight, ties in turn, so that the shared cap stays full
/// across accounts and one large account cannot hold most of it while others wait.
actor FairRequestGate {
    let capacity: Int
    let perAccount: Int
    private var total = 0
    private var holders: [String: Int] = [:]
    /// Each account's waiters, first come first served.
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]
    /// The accounts with waiters, in turn: the one served last goes to the back.
    private var turns: [String] = []

    init(capacity: Int, perAccount: Int) {
        self.capacity = max(1, capacity)
        self.perAccount = max(1, min(perAccount, capacity))
    }

    /// Waits for a place for `account`. The wait is bounded by the requests in flight: each
    /// ends (answered, failed or timed out) and releases its place.
    func acquire(_ account: String) async {
        if total < capacity, holders[account, default: 0] < perAccount, waiting[account] == nil {
            take(account)
            return
        }
        await withCheckedContinuation { continuation in
            if waiting[account] == nil { turns.append(account) }
            waiting[account, default: []].append(continuation)
        }
    }

    func release(_ account: String) {
        holders[account, default: 1] -= 1
        if holders[account] == 0 { holders[account] = nil }
        total -= 1
        grantWaiting()
    }

    /// Places held now, for the whole scan and per account, and the waiters per account (for tests).
    var load: (total: Int, perAccount: [String: Int], waiting: [String: Int]) {
        (total, holders, waiting.mapValues(\.count))
    }

    private func take(_ account: String) {
        holders[account, default: 0] += 1
        total += 1
    }

    private func grantWaiting() {
        while total < capacity {
            var chosen: Int?
            for (index, account) in turns.enumerated() where holders[account, default: 0] < perAccount {
                if chosen.map({ holders[account, default: 0] < holders[turns[$0], default: 0] }) ?? true { chosen = index }
            }
            guard let index = chosen else { return }
            let account = turns.remove(at: index)
            var queue = waiting[account] ?? []
            let continuation = queue.removeFirst()
            if queue.isEmpty {
                waiting[account] = nil
            } else {
                waiting[account] = queue
                turns.append(account)
            }
            take(account)
            continuation.resume()
        }
    }
}
