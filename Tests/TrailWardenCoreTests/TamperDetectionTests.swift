import Foundation
import Testing
import TrailWardenCore
import TrailWardenSimulation
import TrailWardenStorage

/// For every tamper kind, a world tampered that one way must produce exactly
/// the findings its manifest lists: nothing missed, nothing extra.
@Suite struct TamperDetectionTests {
    static let smallSpec = WorldSpec(accounts: 2, regions: ["us-east-1"], hours: 24, logsPerDigest: 3)

    @Test(arguments: TamperKind.allCases)
    func eachTamperKindIsReportedExactly(_ kind: TamperKind) async throws {
        var spec = Self.smallSpec
        spec.tampers = [kind]
        let world = try await TestWorld.make(spec)
        defer { world.remove() }
        let expectedTotal = world.manifest.chains.map(\.expectedFindings.count).reduce(0, +)
        #expect(expectedTotal >= 1)
        for checkUnreferenced in [true, false] {
            let checks = try await WorldCheck.run(world.manifest, store: world.store, keys: world.keys, checkUnreferenced: checkUnreferenced)
            for check in checks {
                #expect(check.actual == check.expected, "\(kind) \(check.chain.chain) unreferenced=\(checkUnreferenced)")
                #expect(check.tally.hasFindings == !check.expected.isEmpty)
            }
        }
    }

    @Test func anUntamperedWorldIsIntact() async throws {
        let world = try await TestWorld.make(WorldSpec(accounts: 2, regions: ["us-east-1", "eu-west-1"], hours: 24, logsPerDigest: 3,
                                                       organizationID: "o-intact1234"))
        defer { world.remove() }
        for chain in world.manifest.chains {
            let (events, outcome) = try await world.validate(chain.chain)
            #expect(!outcome.tally.hasFindings, "\(chain.chain)")
            #expect(outcome.tally.validBackfillDigests == 1)
            #expect(outcome.tally.validDigests == 22)
            // One logging-stopped gap per chain, reported as the reference does.
            #expect(events.filter { if case .gap = $0 { return true } else { return false } }.count == 1)
            #expect(outcome.newestVerifiedDigest?.location == world.digests(of: chain.chain).last)
        }
    }

    /// The acceptance world: 3 accounts × 2 regions × 48 hours × 20 logs
    /// per digest with every tamper kind, with and without an organization trail.
    @Test(arguments: [nil, "o-accept1234"])
    func everyChainOfTheAcceptanceWorldReportsExactlyItsTampering(_ organization: String?) async throws {
        let spec = WorldSpec(accounts: 3, regions: ["us-east-1", "eu-west-1"], hours: 48, logsPerDigest: 20,
                             organizationID: organization, tampers: TamperKind.allCases, seed: 11)
        let world = try await TestWorld.make(spec)
        defer { world.remove() }
        let checks = try await WorldCheck.run(world.manifest, store: world.store, keys: world.keys, checkUnreferenced: true)
        #expect(checks.count == 7)
        #expect(Set(checks.flatMap { $0.chain.expectedFindings.map(\.tamper) }) == Set(TamperKind.allCases))
        for check in checks {
            #expect(check.actual == check.expected, "\(check.chain.chain)")
        }
    }

    @Test func outputDoesNotDependOnConcurrency() async throws {
        var spec = Self.smallSpec
        spec.tampers = [.logDelete, .digestsDeleteRun]
        spec.accounts = 3
        let world = try await TestWorld.make(spec)
        defer { world.remove() }
        for chain in world.manifest.chains {
            let serial = try await world.validate(chain.chain, concurrency: 1).events
            let parallel = try await world.validate(chain.chain, concurrency: 64).events
            #expect(serial == parallel)
        }
    }

    @Test func theSameSeedBuildsTheSameWorld() throws {
        var spec = WorldSpec(accounts: 3, regions: ["us-east-1", "eu-west-1"], hours: 48, logsPerDigest: 2, tampers: TamperKind.allCases)
        let first = try WorldBuilder(spec: spec).build()
        let second = try WorldBuilder(spec: spec).build()
        #expect(first.objects.count == second.objects.count)
        for (location, object) in first.objects {
            #expect(second.objects[location]?.body == object.body, "\(location)")
            #expect(second.objects[location]?.metadata == object.metadata)
        }
        spec.seed = 2
        let other = try WorldBuilder(spec: spec).build()
        #expect(Set(other.objects.keys) != Set(first.objects.keys))
    }

    @Test func tooSmallAWorldForItsTampersIsAClearError() {
        let spec = WorldSpec(accounts: 1, regions: ["us-east-1"], hours: 24, logsPerDigest: 1, tampers: [.logDelete])
        #expect(throws: WorldSpecError.self) { try WorldBuilder(spec: spec).build() }
    }
}
