import Foundation
import Testing
import TrailWardenVocabulary
import TrailWardenAWS
import TrailWardenCore
import TrailWardenState
import TrailWardenStorage
import TrailWardenTestSupport
@testable import TrailWardenScan
@testable import TrailWardenSimulation

/// The tail of a chain: deliveries that stopped while the trail says it is logging, and a
/// checkpoint digest deleted after an earlier run validated it.
@Suite(.serialized) struct ChainFreshnessTests {
    @Test func aLoggingTrailWhoseDigestsStoppedIsStale() async throws {
        let firstAccount = UInt64.random(in: 200_000_000_000...800_000_000_000)
        let account = String(firstAccount)
        // The newest digests end about eight hours ago (as if deleted), while the trail is logging.
        let world = try WorldBuilder(spec: WorldSpec(accounts: 1, regions: ["us-east-1"], hours: 12, logsPerDigest: 1, seed: 5,
                                                     start: Date().addingTimeInterval(-20 * 3600), firstAccount: firstAccount)).build()
        let credentials = try await Emulator.credentials(for: account)
        try await world.write(to: S3ObjectStore(client: S3Client(transport: try Emulator.transport(credentials), region: "us-east-1")))
        try world.publicKeysJSON.write(to: try Emulator.publicKeysDirectory().appendingPathComponent("stale-\(account).json"))
        for chain in world.manifest.chains {
            _ = try Emulator.admin(["create-trail", chain.chain.trailName, chain.chain.bucket, chain.chain.prefix ?? "", "us-east-1", "false", "false"],
                                   as: credentials)
        }
        let plan = ScanPlan(includeAccounts: [account], role: { RoleTarget(roleARN: "arn:aws:iam::\($0):role/TrailWardenAudit") })
        let state = try SQLiteStateStore(path: FileManager.default.temporaryDirectory.appendingPathComponent("tw-stale-\(UUID().uuidString).sqlite").path)
        for _ in 1...2 {
            let report = try await ScanCoordinator(plan: plan, source: try ScanCoordinatorTests.source(), state: state).run(request: "{}")
            let findings = report.accounts.flatMap(\.chains).flatMap(\.findings)
            #expect(findings.map(\.kind) == Array(repeating: FindingKind.digestsStale, count: world.manifest.chains.count))
            #expect(findings.allSatisfy { $0.message.hasPrefix("Digest files\ts3://trailwarden-sim-\(account)/") && $0.message.contains("LatestDigestDeliveryTime") })
            #expect(report.hasFindings && !report.hasErrors)
        }
        // Seen again by the second run: still open, never resolved by a run that sees it.
        let stored = try await state.findings(chain: nil).filter { $0.kind == FindingKind.digestsStale }
        #expect(stored.count == world.manifest.chains.count && stored.allSatisfy { $0.status == FindingStatus.open })
        #expect(FindingKind.digestsStale.category == .missingDigests)
    }

    @Test func aDeletedCheckpointDigestIsAFindingUntilItIsBack() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-checkpoint-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let world = try NightlyRescanTests.world()
        let store = IncrementalScanTests.CountingStore(LocalDirectoryStore(root: root))
        try await world.write(to: store.inner)
        let state = try SQLiteStateStore(path: root.appendingPathComponent("state.sqlite").path)
        let nightly = NightlyRescanTests()
        func scan() async throws -> ScanReport { try await nightly.scan(world, store: store, state: state, regions: ["us-east-1"]) }

        let first = try await scan()
        #expect(first.totals.findings == 0)
        let chain = world.manifest.chains[0].chain
        let checkpoint = try #require(try await state.checkpoint(for: chain))
        let location = ObjectLocation(bucket: chain.bucket, key: checkpoint.digestKey)
        let saved = try await store.inner.get(location)
        try await store.inner.delete(location)

        for _ in 1...2 {
            let report = try await scan()
            let findings = report.accounts.flatMap(\.chains).flatMap(\.findings)
            #expect(findings.map(\.kind) == [FindingKind.checkpointDigestMissing])
            #expect(findings.first?.object == location.description)
            #expect(findings.first?.message == "Digest file\t\(location)\tINVALID: not found (validated by an earlier run, the chain's checkpoint)")
            #expect(try await state.checkpoint(for: chain) == checkpoint)
        }
        #expect(FindingKind.checkpointDigestMissing.category == .missingDigests)

        // Put back: the next run no longer sees it, and resolves it.
        try await store.inner.put(location, body: saved.body, metadata: saved.metadata)
        let restored = try await scan()
        #expect(restored.totals.findings == 0 && restored.openFindings == 0 && !restored.hasFindings)
        #expect(try await state.findings(chain: nil).map(\.status) == [FindingStatus.resolved])
    }
}
