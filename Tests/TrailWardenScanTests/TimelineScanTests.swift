import Foundation
import Testing
import TrailWardenCore
import TrailWardenState
import TrailWardenStorage
import TrailWardenVocabulary
@testable import TrailWardenScan
@testable import TrailWardenSimulation

/// What a scan records for the timelines, over a local archive: a digest copied past the
/// newest one claims only its own minutes, and a rescan after it is removed records the
/// whole chain verified (the report lets the newest validation win, see the builder's tests).
@Suite struct TimelineScanTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-timeline-\(UUID().uuidString)")

    func scan(_ world: World, state: any StateStore, since: Date? = nil) async throws -> ScanReport {
        let chain = world.manifest.chains[0]
        var plan = ScanPlan(includeAccounts: [chain.chain.accountID], role: { RoleTarget(roleARN: "arn:aws:iam::\($0):role/R") }, discoverTrails: false,
                            explicitTrails: [PlannedTrail(arn: TrailARN(chain.trailARN)!, bucket: chain.chain.bucket, prefix: chain.chain.prefix,
                                                          regions: [chain.chain.sourceRegion])],
                            regions: [chain.chain.sourceRegion])
        plan.firstScanLookback = 16 * 3600
        plan.since = since
        plan.until = Date()
        let keys = StaticPublicKeySource(keys: try PublicKeyList.decode(world.publicKeysJSON, file: "world"))
        return try await ScanCoordinator(plan: plan, source: ArchiveScanSource(store: LocalDirectoryStore(root: root), keys: keys, name: root.path),
                                         state: state).run(request: "{}")
    }

    @Test func aCopyPastTheNewestDigestIsInvalidOnlyForItsMinutesAndARescanWithoutItIsAllVerified() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let start = Date().addingTimeInterval(-14 * 3600)
        let world = try WorldBuilder(spec: WorldSpec(accounts: 1, regions: ["us-east-1"], hours: 12, logsPerDigest: 1, start: start)).build()
        let store = LocalDirectoryStore(root: root)
        try await world.write(to: store)
        let chain = world.manifest.chains[0].chain
        let newest = try #require(world.objects.keys.filter { chain.digestKeyName($0.key).map { !$0.isBackfill } ?? false }.max())
        let end = try #require(chain.digestKeyName(newest.key)).endTime
        let copy = ObjectLocation(bucket: chain.bucket, key: chain.digestKey(endingAt: end.addingTimeInterval(900)))
        try await store.put(copy, body: world.objects[newest]!.body, metadata: world.objects[newest]!.metadata)
        let state = try SQLiteStateStore(path: root.appendingPathComponent("state.sqlite").path)

        let first = try await scan(world, state: state)
        #expect(first.totals.invalidDigests == 1)
        func coverage(run: Int64) async throws -> [CoverageSpan] {
            let query = StateHistory.Query(from: .distantPast, to: .distantFuture, accounts: [], run: run)
            let entry = try #require(try await state.outline(query).chains.first { $0.chain == chain })
            return try await state.chain(entry, query).coverage.map(\.span)
        }
        let claimed = try await coverage(run: first.runID)
        #expect(claimed.filter { $0.state == .invalid } == [CoverageSpan(start: end, end: end.addingTimeInterval(900), state: .invalid)])
        let lastHour = try #require(claimed.first { $0.state == .verified && $0.end == end })
        #expect(lastHour.start < end.addingTimeInterval(-3000))

        // The copy removed, a rescan of the whole window proves every hour and resolves the finding.
        try await store.delete(copy)
        let rescan = try await scan(world, state: state, since: start.addingTimeInterval(-3 * 3600))
        #expect(rescan.totals.invalidDigests == 0 && rescan.totals.errors == 0)
        #expect(try await coverage(run: rescan.runID).allSatisfy { $0.state != .invalid })
        #expect(try await state.findings(chain: nil).allSatisfy { $0.status == .resolved })
    }
}
