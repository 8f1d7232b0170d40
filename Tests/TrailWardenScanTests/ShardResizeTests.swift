import Foundation
import Testing
import TrailWardenCore
import TrailWardenState
import TrailWardenStorage
@testable import TrailWardenScan
@testable import TrailWardenSimulation

/// Resizing a sharded scan: each shard of the new layout imports its accounts' history from
/// the previous layout's states, so nothing already checked is read again and nothing already
/// announced is pending again; a previous state that cannot be read stops the import.
@Suite struct ShardResizeTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-resize-\(UUID().uuidString)")
    static let target = "test:target"

    func scan(_ world: World, store: IncrementalScanTests.CountingStore, state: any StateStore, shard: ShardAssignment) async throws -> ScanReport {
        let chain = world.manifest.chains[0]
        var plan = ScanPlan(includeAccounts: Array(Set(world.manifest.chains.map(\.chain.accountID))).sorted(),
                            role: { RoleTarget(roleARN: "arn:aws:iam::\($0):role/R") }, discoverTrails: false,
                            explicitTrails: [PlannedTrail(arn: TrailARN(chain.trailARN)!, bucket: chain.chain.bucket, prefix: chain.chain.prefix,
                                                          organizationID: chain.chain.organizationID, regions: [chain.chain.sourceRegion])],
                            regions: [chain.chain.sourceRegion], firstScanLookback: 2 * 86400)
        plan.until = Date()
        plan.shard = shard
        let keys = StaticPublicKeySource(keys: try PublicKeyList.decode(world.publicKeysJSON, file: "world"))
        return try await ScanCoordinator(plan: plan, source: ArchiveScanSource(store: store, keys: keys, name: root.path), state: state).run(request: "{}")
    }

    /// An organization trail over eight accounts, one region, a tampered log file in every chain.
    static func world() throws -> World {
        try WorldBuilder(spec: WorldSpec(accounts: 8, regions: ["us-east-1"], hours: 30, logsPerDigest: 1, organizationID: "o-resize1234",
                                         tampers: Array(repeating: .logModify, count: 8), seed: 3,
                                         start: Date().addingTimeInterval(-32 * 3600))).build()
    }

    @Test func aResizeFromThreeToFourShardsReadsNothingAlreadyChecked() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let world = try Self.world()
        let store = IncrementalScanTests.CountingStore(LocalDirectoryStore(root: root))
        try await world.write(to: store.inner)
        // The organization trail's chains (the world's other trail is not configured here).
        let chains = world.manifest.chains.filter { $0.trailARN == world.manifest.chains[0].trailARN }.map(\.chain)
        let accounts = Set(chains.map(\.accountID))
        let moved = accounts.filter { ShardAssignment.shard(of: $0, count: 3) != ShardAssignment.shard(of: $0, count: 4) }
        try #require(!moved.isEmpty && moved.count < accounts.count, "\(moved)")
        let old = root.appendingPathComponent("old"), new = root.appendingPathComponent("new")
        try FileManager.default.createDirectory(at: old, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: new, withIntermediateDirectories: true)

        // Three shards scan, and a target receives every finding.
        var checkpoints = [DigestChain: Checkpoint]()
        var openBefore = Set<String>()
        for index in 0..<3 {
            let state = try SQLiteStateStore(path: old.appendingPathComponent("shard-\(index)-of-3.sqlite").path)
            let report = try await scan(world, store: store, state: state, shard: try ShardAssignment(index: index, count: 3))
            #expect(report.totals.validDigests > 0 && report.hasFindings && !report.hasErrors)
            let pending = try await state.pendingAlarms(target: Self.target)
            try await state.recordAlarm(AlarmOutcomeRecord(run: report.runID, target: Self.target, status: .delivered, findings: pending.count, attempts: 1, error: nil),
                                        delivered: pending.map(\.id), at: Date())
            for chain in chains where ShardAssignment.shard(of: chain.accountID, count: 3) == index {
                let checkpoint = try #require(try await state.checkpoint(for: chain), "\(chain)")
                checkpoints[chain] = checkpoint
            }
            openBefore.formUnion(try await state.findings(chain: nil).filter { $0.status == .open }.map { "\($0.accountID) \($0.object)" })
            await state.close()
        }
        #expect(checkpoints.count == chains.count && chains.count == 8)
        #expect(Set(openBefore.map { $0.prefix(12) }.map(String.init)) == accounts)
        let readsBefore = store.allReads.count

        // Four shards, each with a new state that imports its accounts from the three: nothing is read again.
        var openAfter = Set<String>()
        for index in 0..<4 {
            let shard = try ShardAssignment(index: index, count: 4)
            let path = new.appendingPathComponent("shard-\(index)-of-4.sqlite").path
            let state = try SQLiteStateStore(path: path)
            let previous = try await PreviousStates.locate(old.path, own: path, shard: shard) { throw PreviousStateError("no S3 here") }
            #expect(previous.candidates.count == 3)
            let lines = try await previous.importing(into: state, shard: shard)
            #expect(lines.count == (index == 3 ? Set(moved.map { ShardAssignment.shard(of: $0, count: 3) }).count : 1), "\(lines)")
            for chain in chains where shard.owns(chain.accountID) {
                #expect(try await state.checkpoint(for: chain) == checkpoints[chain], "\(chain)")
            }
            let report = try await scan(world, store: store, state: state, shard: shard)
            #expect(report.totals.validDigests == 0 && report.totals.validLogs == 0 && report.totals.findings == 0 && !report.hasErrors)
            // The imported findings are still open and were delivered: nothing is announced again.
            #expect(report.openFindings > 0 && report.hasFindings)
            #expect(try await state.pendingAlarms(target: Self.target).isEmpty)
            openAfter.formUnion(try await state.findings(chain: nil).filter { $0.status == .open }.map { "\($0.accountID) \($0.object)" })
            await state.close()
        }
        #expect(store.allReads.count == readsBefore, "\(store.allReads.dropFirst(readsBefore))")
        #expect(openAfter == openBefore)
    }

    @Test func aPreviousStateThatCannotBeReadStopsTheImportAndIsNamed() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let broken = root.appendingPathComponent("shard-1-of-3.sqlite")
        try Data("not a state".utf8).write(to: broken)
        let path = root.appendingPathComponent("own.sqlite").path
        let state = try SQLiteStateStore(path: path)
        let shard = try ShardAssignment(index: 0, count: 4)
        let previous = try await PreviousStates.locate(root.path, own: path, shard: shard) { throw PreviousStateError("no S3 here") }
        await #expect(throws: PreviousStateError.self) { _ = try await previous.importing(into: state, shard: shard) }
        do {
            _ = try await previous.importing(into: state, shard: shard)
        } catch {
            #expect("\(error)".contains(broken.path), "\(error)")
        }
        #expect(try Data(contentsOf: broken) == Data("not a state".utf8))
        await #expect(throws: PreviousStateError.self) {
            _ = try await PreviousStates.locate(root.appendingPathComponent("missing").path, own: path, shard: shard) { throw PreviousStateError("no S3") }
        }
        await state.close()
    }
}
