import Foundation
import Testing
@testable import TrailWardenScan

/// The partition of a sharded scan: every account in exactly one shard, shards of even
/// size, and a resize that moves only what the new shard takes.
struct ShardAssignmentTests {
    /// Account ids as an organization has them: 12 digits, not consecutive.
    static let accounts = (0..<6000).map { String(100_000_000_000 + $0 * 7_919 + ($0 % 13) * 1_000_003) }

    @Test func everyAccountIsInExactlyOneShard() throws {
        for count in [1, 2, 3, 7] {
            let shards = try (0..<count).map { try ShardAssignment(index: $0, count: count) }
            for account in Self.accounts {
                #expect(shards.filter { $0.owns(account) }.count == 1, "\(account) among \(count)")
            }
        }
    }

    @Test func shardsAreBalanced() {
        for count in [2, 4, 8, 16] {
            var sizes = [Int](repeating: 0, count: count)
            for account in Self.accounts { sizes[ShardAssignment.shard(of: account, count: count)] += 1 }
            let mean = Double(Self.accounts.count) / Double(count)
            // Binomial spread: the standard deviation is under sqrt(mean), so ±6 of them never fails by chance.
            let tolerance = 6 * mean.squareRoot()
            for size in sizes { #expect(abs(Double(size) - mean) < tolerance, "\(sizes) for \(count) shards") }
        }
    }

    @Test func growingByOneShardMovesOnlyWhatTheNewShardTakes() {
        for count in [1, 3, 4, 9] {
            var moved = 0
            for account in Self.accounts {
                let before = ShardAssignment.shard(of: account, count: count)
                let after = ShardAssignment.shard(of: account, count: count + 1)
                if before != after {
                    moved += 1
                    #expect(after == count, "\(account) moved from \(before) to \(after), not to the new shard")
                }
            }
            let expected = Double(Self.accounts.count) / Double(count + 1)
            #expect(abs(Double(moved) - expected) < 6 * expected.squareRoot(), "\(moved) of \(Self.accounts.count) moved going to \(count + 1)")
        }
    }

    @Test func theShardDependsOnlyOnTheAccount() throws {
        let shuffled = Self.accounts.shuffled()
        for account in shuffled.prefix(200) {
            #expect(ShardAssignment.shard(of: account, count: 5) == ShardAssignment.shard(of: String(account), count: 5))
        }
        // The weights mix every input byte: nearby ids and shards give unrelated weights.
        #expect(ShardAssignment.weight(account: "111111111111", shard: 0) != ShardAssignment.weight(account: "111111111112", shard: 0))
        #expect(ShardAssignment.weight(account: "111111111111", shard: 1) != ShardAssignment.weight(account: "111111111111", shard: 2))
    }

    @Test func shardsAreParsedAndCheckedWithOneLineErrors() throws {
        let shard = try ShardAssignment(parsing: "2/5")
        #expect(shard.index == 2 && shard.count == 5 && shard.description == "2/5")
        for bad in ["5/5", "-1/3", "1", "a/b", "1/0", "0/3/4", ""] {
            #expect(throws: ShardError.self, "\(bad)") { try ShardAssignment(parsing: bad) }
        }
    }

    @Test func autoTakesTheTaskIndexAndTheJobFromTheEngine() throws {
        let kubernetes = try ShardEnvironment.assignment(count: 4, environment: ["JOB_COMPLETION_INDEX": "3"])
        #expect(kubernetes.index == 3 && kubernetes.count == 4)
        let batch = try ShardEnvironment.assignment(count: 2, environment: ["AWS_BATCH_JOB_ARRAY_INDEX": "1"])
        #expect(batch.index == 1)
        #expect(throws: ShardError.self) { try ShardEnvironment.assignment(count: 4, environment: [:]) }
        #expect(throws: ShardError.self) { try ShardEnvironment.assignment(count: nil, environment: ["JOB_COMPLETION_INDEX": "0"]) }
        #expect(throws: ShardError.self) { try ShardEnvironment.assignment(count: 2, environment: ["JOB_COMPLETION_INDEX": "2"]) }
        #expect(ShardEnvironment.scanID(environment: ["JOB_NAME": "trailwarden-29012345"]) == "trailwarden-29012345")
        #expect(ShardEnvironment.scanID(environment: ["AWS_BATCH_JOB_ID": "a1b2-c3:7"]) == "a1b2-c3")
        #expect(ShardEnvironment.scanID(environment: [:]) == nil)
    }

    @Test func theConfigurationMayGiveTheShardCount() throws {
        func configuration(_ shards: String) throws -> ScanConfiguration {
            try ScanConfiguration.parse(Data("""
            {"accounts": {"include": ["111111111111"]}, "roles": {"default": {"name": "R"}}\(shards)}
            """.utf8), file: "shards.json")
        }
        #expect(try configuration("").shards == nil)
        #expect(try configuration(", \"shards\": 8").shards == 8)
        for bad in [", \"shards\": 0", ", \"shards\": \"8\""] {
            #expect(throws: ConfigurationError.self, "\(bad)") { try configuration(bad) }
        }
    }
}

