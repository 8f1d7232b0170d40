/// Which part of an organization one task of a sharded scan covers: shard `index` of
/// `count`, numbered from 0 as Kubernetes Indexed Jobs and AWS Batch array jobs number their tasks.
///
/// Why rendezvous hashing of the account id: every task computes the same partition from
/// the account id alone (no coordination, no shared list), accounts spread evenly, and going
/// from `count` to `count + 1` shards moves only the accounts the new shard wins, about
/// 1/(count + 1) of them, so few checkpoints have to follow their account. An account's
/// chains (an organization trail's included) all go with it, so every chain is in exactly one shard.
public struct ShardAssignment: Sendable, Hashable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    /// The most shards a scan may be split into.
    public static let maximumCount = 10_000

    public init(index: Int, count: Int) throws(ShardError) {
        guard (1...Self.maximumCount).contains(count) else {
            throw ShardError("the shard count must be from 1 to \(Self.maximumCount), not \(count)")
        }
        guard (0..<count).contains(index) else {
            throw ShardError("the shard index must be from 0 to \(count - 1) for \(count) shards, not \(index)")
        }
        self.index = index
        self.count = count
    }

    /// `INDEX/COUNT`, as `--shard` takes it.
    public init(parsing text: String) throws(ShardError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw ShardError("a shard is INDEX/COUNT, like 0/4, not \"\(text)\"")
        }
        try self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }

    /// Whether this shard scans `account` (and every chain of it).
    public func owns(_ account: String) -> Bool {
        Self.shard(of: account, count: count) == index
    }

    /// The shard of `account` among `count`: the one with the highest weight for it.
    public static func shard(of account: String, count: Int) -> Int {
        var best = 0
        var bestWeight = weight(account: account, shard: 0)
        for shard in 1..<max(count, 1) {
            let candidate = weight(account: account, shard: shard)
            if candidate > bestWeight {
                best = shard
                bestWeight = candidate
            }
        }
        return best
    }

    /// A stable 64-bit weight of (account, shard): FNV-1a over both, then the splitmix64
    /// finaliser to spread nearby inputs. Part of the state's meaning: changing it would move accounts.
    static func weight(account: String, shard: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in account.utf8 + [0] + String(shard).utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        hash = (hash ^ (hash >> 30)) &* 0xbf58_476d_1ce4_e5b9
        hash = (hash ^ (hash >> 27)) &* 0x94d0_49bb_1331_11eb
        return hash ^ (hash >> 31)
    }
}

/// A shard, shard count or scan id that cannot be used: a usage error naming the value.
public struct ShardError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
