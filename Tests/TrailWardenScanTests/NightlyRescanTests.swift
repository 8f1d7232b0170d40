import Foundation
import Testing
import TrailWardenCore
import TrailWardenState
import TrailWardenStorage
@testable import TrailWardenScan
@testable import TrailWardenSimulation

/// A healthy organization's nightly rescan: nothing new is read, nothing is reported
/// twice, and a region a trail never delivered to is coverage, not a nightly finding.
@Suite struct NightlyRescanTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-nightly-\(UUID().uuidString)")

    func scan(_ world: World, store: IncrementalScanTests.CountingStore, state: any StateStore, regions: [String]) async throws -> ScanReport {
        let chain = world.manifest.chains[0]
        var plan = ScanPlan(includeAccounts: [chain.chain.accountID], role: { RoleTarget(roleARN: "arn:aws:iam::\($0):role/R") }, discoverTrails: false,
                            explicitTrails: [PlannedTrail(arn: TrailARN(chain.trailARN)!, bucket: chain.chain.bucket, prefix: chain.chain.prefix,
                                                          regions: regions)],
                            regions: regions)
        plan.until = Date()
        let keys = StaticPublicKeySource(keys: try PublicKeyList.decode(world.publicKeysJSON, file: "world"))
        return try await ScanCoordinator(plan: plan, source: ArchiveScanSource(store: store, keys: keys, name: root.path), state: state).run(request: "{}")
    }

    static func world() throws -> World {
        try WorldBuilder(spec: WorldSpec(accounts: 1, regions: ["us-east-1"], hours: 12, logsPerDigest: 1,
                                         start: Date().addingTimeInterval(-14 * 3600))).build()
    }

    @Test func anInvalidDigestPastTheCheckpointIsReadAndReportedOnce() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let world = try Self.world()
        let store = IncrementalScanTests.CountingStore(LocalDirectoryStore(root: root))
        try await world.write(to: store.inner)
        let chain = world.manifest.chains[0].chain
        // A copy of the newest digest, named half an hour later: invalid, and newer than the newest valid digest.
        let newest = try #require(world.objects.keys.filter { chain.digestKeyName($0.key).map { !$0.isBackfill } ?? false }.max())
        let end = try #require(chain.digestKeyName(newest.key)).endTime
        let copy = ObjectLocation(bucket: chain.bucket, key: chain.digestKey(endingAt: end.addingTimeInterval(1800)))
        let original = try #require(world.objects[newest])
        try await store.inner.put(copy, body: original.body, metadata: original.metadata)
        let state = try SQLiteStateStore(path: root.appendingPathComponent("state.sqlite").path)

        let first = try await scan(world, store: store, state: state, regions: ["us-east-1"])
        let firstFindings = first.accounts.flatMap(\.chains).flatMap(\.findings)
        #expect(firstFindings.map(\.object).contains(copy.description))
        #expect(first.totals.invalidDigests == 1 && first.hasFindings)

        // Nightly, with nothing new: the copy is not fetched or reported again, yet stays open (exit 1).
        let readsBefore = store.digestReads.count
        let second = try await scan(world, store: store, state: state, regions: ["us-east-1"])
        #expect(store.digestReads.count == readsBefore)
        #expect(second.totals.findings == 0 && second.totals.invalidDigests == 0)
        #expect(second.openFindings == firstFindings.count && second.hasFindings)
        let stored = try await state.findings(chain: nil)
        #expect(stored.count == firstFindings.count && stored.allSatisfy { $0.lastSeenRun == first.runID })
    }

    @Test func aChainWhoseOnlyDigestsAreInvalidIsReadOnceAndNotAgain() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        var world = try Self.world()
        let chain = world.manifest.chains[0].chain
        // Every digest of the chain signed wrong: none validates, so there is no checkpoint digest.
        let digests = world.objects.keys.filter { chain.digestKeyName($0.key) != nil }
        for digest in digests { world.objects[digest]?.metadata["signature"] = String(repeating: "00", count: 256) }
        let store = IncrementalScanTests.CountingStore(LocalDirectoryStore(root: root))
        try await world.write(to: store.inner)
        let state = try SQLiteStateStore(path: root.appendingPathComponent("state.sqlite").path)

        let first = try await scan(world, store: store, state: state, regions: ["us-east-1"])
        let firstFindings = first.accounts.flatMap(\.chains).flatMap(\.findings)
        let tally = try #require(first.accounts.flatMap(\.chains).first).tally
        #expect(tally.validDigests + tally.validBackfillDigests == 0 && tally.invalidDigests > 1)
        #expect(!firstFindings.isEmpty && !first.hasErrors)
        let checkpoint = try #require(try await state.checkpoint(for: chain))
        #expect(!checkpoint.hasValidatedDigest)
        let standard = digests.filter { chain.digestKeyName($0.key).map { !$0.isBackfill } ?? false }
        let newest = try #require(standard.max())
        #expect(checkpoint.examined?.key == newest.key)

        // Nightly, with nothing new: no object read, nothing reported again, nothing resolved (still exit 1).
        let readsBefore = store.allReads.count
        let second = try await scan(world, store: store, state: state, regions: ["us-east-1"])
        #expect(store.allReads.count == readsBefore)
        #expect(second.totals.findings == 0 && second.totals.invalidDigests == 0 && !second.hasErrors)
        #expect(second.openFindings == firstFindings.count && second.hasFindings)
        let stored = try await state.findings(chain: nil)
        #expect(stored.count == firstFindings.count && stored.allSatisfy { $0.lastSeenRun == first.runID && $0.status == .open })
        #expect(second.accounts.flatMap(\.chains).allSatisfy { !$0.undelivered })
    }

    @Test func aRegionNeverDeliveredToIsCoverageNotANightlyFinding() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let world = try Self.world()
        let store = IncrementalScanTests.CountingStore(LocalDirectoryStore(root: root))
        try await world.write(to: store.inner)
        let state = try SQLiteStateStore(path: root.appendingPathComponent("state.sqlite").path)
        for run in 1...2 {
            let readsBefore = store.digestReads.count
            let report = try await scan(world, store: store, state: state, regions: ["us-east-1", "ap-south-1"])
            let chains = report.accounts.flatMap(\.chains)
            #expect(chains.count == 2)
            #expect(chains.filter(\.undelivered).map(\.chain.sourceRegion) == ["ap-south-1"])
            #expect(report.totals.findings == 0 && report.openFindings == 0 && !report.hasFindings && !report.hasErrors)
            #expect(report.text().contains("never delivered: management-events s3://"))
            if run == 2 { #expect(store.digestReads.count == readsBefore) }
        }
        #expect(try await state.findings(chain: nil).isEmpty)
    }
}
