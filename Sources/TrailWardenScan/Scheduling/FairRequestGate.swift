/// The scan's request budget: at most `capacity` object-store requests in flight for the
/// whole scan (`--max-requests`, `limits.requestsInFlight`), at most `perAccount` for one
/// account's chains together (`limits.requestsPerAccount`) while any other account holds or
/// waits for a place. A freed place goes to the waiting account with the fewest requests in
/// flight, ties in turn, so that the shared cap stays full across accounts and one large
/// account cannot hold most of it while others wait. An account alone (the tail of a scan,
/// when only a large account has chains left) may fill the shared cap: the per-account budget
/// would only leave it idle. Each chain's own concurrency (`perAccount` too) still bounds what
/// one folder, one S3 prefix, is asked at once; the shared cap bounds the bucket and the host.
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
        if total < capacity, mayTakeMore(account), waiting[account] == nil {
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

    /// Whether `account` may hold one more place: below its budget, or alone, with no other
    /// account holding or waiting for a place.
    private func mayTakeMore(_ account: String) -> Bool {
        holders[account, default: 0] < perAccount
            || (holders.keys.allSatisfy { $0 == account } && waiting.keys.allSatisfy { $0 == account })
    }

    private func take(_ account: String) {
        holders[account, default: 0] += 1
        total += 1
    }

    private func grantWaiting() {
        while total < capacity {
            var chosen: Int?
            for (index, account) in turns.enumerated() where mayTakeMore(account) {
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
