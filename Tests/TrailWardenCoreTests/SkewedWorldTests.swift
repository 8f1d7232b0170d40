import Foundation
import Testing
import TrailWardenCore
import TrailWardenSimulation
import TrailWardenStorage

/// `simulate --large-accounts K --large-factor F`: a skewed organization, whose last K
/// accounts have F times the log files per digest, and whose other accounts are exactly the
/// world without the option (the benchmarks compare the two; the suite's worlds depend on it).
@Suite struct SkewedWorldTests {
    static let even = WorldSpec(accounts: 3, regions: ["us-east-1", "eu-west-1"], hours: 24, logsPerDigest: 2,
                                organizationID: "o-skewed1234", accountTrails: true, seed: 5)

    static func skewed(_ large: Int, factor: Int) -> WorldSpec {
        var spec = even
        spec.largeAccounts = large
        spec.largeFactor = factor
        return spec
    }

    /// The objects of one chain: its digests and log files.
    static func objects(of chain: DigestChain, in world: World) -> [ObjectLocation] {
        world.objects.keys.filter { $0.bucket == chain.bucket && ($0.key.hasPrefix(chain.digestFolder) || $0.key.hasPrefix(chain.logFolder)) }.sorted()
    }

    static func logs(of chain: DigestChain, in world: World) -> Int {
        objects(of: chain, in: world).filter { $0.key.hasPrefix(chain.logFolder) }.count
    }

    @Test func theLastAccountsHaveFactorTimesTheLogsAndTheOthersAreUnchanged() throws {
        let even = try WorldBuilder(spec: Self.even).build()
        let skewed = try WorldBuilder(spec: Self.skewed(1, factor: 5)).build()
        let large = "100000222223"
        #expect(skewed.manifest.largeAccounts == [large])
        #expect(skewed.manifest.largeFactor == 5)
        #expect(skewed.manifest.chains.map(\.chain) == even.manifest.chains.map(\.chain))
        for chain in even.manifest.chains.map(\.chain) {
            let evenObjects = Self.objects(of: chain, in: even), skewedObjects = Self.objects(of: chain, in: skewed)
            let evenDigests = evenObjects.filter { $0.key.hasPrefix(chain.digestFolder) }
            #expect(skewedObjects.filter { $0.key.hasPrefix(chain.digestFolder) } == evenDigests, "\(chain)")
            if chain.accountID == large {
                // Every log-bearing hour has 5 × 2 log files instead of 2; the backfill's two late ones stay two.
                #expect(Self.logs(of: chain, in: skewed) - 2 == 5 * (Self.logs(of: chain, in: even) - 2), "\(chain)")
            } else {
                #expect(skewedObjects == evenObjects, "\(chain)")
                for location in evenObjects {
                    #expect(skewed.objects[location]?.body == even.objects[location]?.body, "\(location)")
                    #expect(skewed.objects[location]?.metadata == even.objects[location]?.metadata, "\(location)")
                }
            }
        }
        let largeShare = Double(skewed.objects.keys.filter { $0.key.contains("/\(large)/") }.count) / Double(skewed.objects.count)
        #expect(largeShare > 0.5)
    }

    @Test func aWorldWithoutLargeAccountsHasTheManifestItHadBefore() throws {
        let world = try WorldBuilder(spec: Self.even).build()
        #expect(world.manifest.largeAccounts == nil)
        #expect(world.manifest.largeFactor == nil)
        let text = String(decoding: try world.manifest.encoded(), as: UTF8.self)
        #expect(!text.contains("large"))
        let again = try WorldBuilder(spec: Self.skewed(0, factor: 7)).build()
        #expect(try again.manifest.encoded() == world.manifest.encoded())
        #expect(again.objects.count == world.objects.count)
    }

    @Test func aSkewedTamperedWorldReportsExactlyItsTampering() async throws {
        var spec = Self.skewed(2, factor: 3)
        spec.tampers = [.logDelete, .logModify, .digestsDeleteRun]
        let world = try await TestWorld.make(spec)
        defer { world.remove() }
        #expect(world.manifest.largeAccounts == ["100000111112", "100000222223"])
        let checks = try await WorldCheck.run(world.manifest, store: world.store, keys: world.keys, checkUnreferenced: true)
        #expect(checks.flatMap(\.expected).count >= 3)
        for check in checks {
            #expect(check.actual == check.expected, "\(check.chain.chain)")
        }
    }

    @Test func badSkewsAreClearErrors() {
        #expect(Self.skewed(4, factor: 2).validationErrors() == ["--large-accounts must be between 0 and --accounts (3)"])
        #expect(Self.skewed(1, factor: 1).validationErrors() == ["--large-factor must be between 2 and 1000"])
        #expect(Self.skewed(1, factor: 5001).validationErrors() == ["--large-factor must be between 2 and 1000"])
        #expect(Self.skewed(1, factor: 1000).validationErrors().isEmpty)
        var spec = Self.skewed(1, factor: 1000)
        spec.logsPerDigest = 11
        #expect(spec.validationErrors() == ["--logs-per-digest × --large-factor must be 10000 or less, not 11000"])
        #expect(throws: WorldSpecError.self) { try WorldBuilder(spec: Self.skewed(4, factor: 2)).build() }
    }
}
