import Foundation
import Testing
import TrailWardenCore
import TrailWardenStorage
import TrailWardenVocabulary
@testable import TrailWardenScan
@testable import TrailWardenSimulation
@testable import TrailWardenState

/// A chain the run did not finish checking records nothing: when another chain's
/// state write fails, the chains still running are cancelled, and their listings
/// (ended early, without an error) must not become error-free results that advance
/// checkpoints and resolve findings.
@Suite struct InterruptedChainTests {
    /// Holds the listing of one folder until its task is cancelled, then ends it
    /// without an error, as a cancelled S3 listing does.
    final class HoldingStore: ObjectStore, @unchecked Sendable {
        let inner: LocalDirectoryStore
        let held: String
        // Kept so that a held listing stays open until cancelled; touched only under the lock.
        private let lock = NSLock()
        private var holding: [AsyncThrowingStream<String, any Error>.Continuation] = []

        init(_ inner: LocalDirectoryStore, holding prefix: String) {
            self.inner = inner
            held = prefix
        }

        func listKeys(bucket: String, prefix: String, startAfter: String?) -> AsyncThrowingStream<String, any Error> {
            guard prefix.hasPrefix(held) else { return inner.listKeys(bucket: bucket, prefix: prefix, startAfter: startAfter) }
            return AsyncThrowingStream { continuation in lock.withLock { holding.append(continuation) } }
        }

        func read<Consumer: BodyConsumer>(_ location: ObjectLocation, into consumer: inout Consumer) async throws -> UserMetadata {
            try await inner.read(location, into: &consumer)
        }
    }

    @Test func aFailedStateWriteCancelsTheOtherChainsWithoutRecordingThem() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-interrupted-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        let world = try WorldBuilder(spec: WorldSpec(accounts: 1, regions: ["us-east-1", "eu-west-1"], hours: 24, logsPerDigest: 2,
                                                     tampers: [.logModify], seed: 3, start: start)).build()
        let archive = LocalDirectoryStore(root: root)
        try await world.write(to: archive)
        let tampered = try #require(world.manifest.chains.first { !$0.expectedFindings.isEmpty })
        // The same trail's other region: the chain whose state write fails.
        let failing = try #require(world.manifest.chains.first { $0.trailARN == tampered.trailARN && $0.chain != tampered.chain })

        var plan = ScanPlan(includeAccounts: [tampered.chain.accountID], role: { RoleTarget(roleARN: "arn:aws:iam::\($0):role/R") },
                            discoverTrails: false,
                            explicitTrails: [PlannedTrail(arn: try #require(TrailARN(tampered.trailARN)), bucket: tampered.chain.bucket,
                                                          prefix: tampered.chain.prefix, regions: ["us-east-1", "eu-west-1"])],
                            accountsInParallel: 2)
        plan.since = start
        plan.until = start.addingTimeInterval(30 * 3600)
        let keys = StaticPublicKeySource(keys: try PublicKeyList.decode(world.publicKeysJSON, file: "world"))
        let state = try SQLiteStateStore(path: root.appendingPathComponent("state.sqlite").path)

        let first = try await ScanCoordinator(plan: plan, source: ArchiveScanSource(store: archive, keys: keys, name: "world"), state: state)
            .run(request: "{}")
        #expect(first.totals.chains == 2 && first.totals.findings == tampered.expectedFindings.count)
        let checkpoints = (try await state.checkpoint(for: tampered.chain), try await state.checkpoint(for: failing.chain))
        #expect(checkpoints.0 != nil && checkpoints.1 != nil)

        // The second run: the tampered chain's listing hangs until cancelled; the other chain's result cannot be written.
        try await state.withDatabase { database in
            try database.execute("""
                CREATE TRIGGER disk_full BEFORE INSERT ON chain_results
                WHEN NEW.chain_id = (SELECT id FROM chains WHERE source_region = '\(failing.chain.sourceRegion)')
                BEGIN SELECT RAISE(ABORT, 'disk full'); END
                """)
        }
        let holding = HoldingStore(archive, holding: tampered.chain.digestFolder)
        let error = await #expect(throws: (any Error).self) {
            try await ScanCoordinator(plan: plan, source: ArchiveScanSource(store: holding, keys: keys, name: "world"), state: state)
                .run(request: "{}")
        }
        #expect(String(describing: error).contains("disk full"))

        let runs = try await state.runs()
        #expect(runs.map(\.status) == [.complete, .failed])
        #expect(try await state.chainResults(run: runs[1].id).isEmpty)
        #expect(try await state.checkpoint(for: tampered.chain) == checkpoints.0)
        #expect(try await state.checkpoint(for: failing.chain) == checkpoints.1)
        let findings = try await state.findings(chain: tampered.chain)
        #expect(findings.count == tampered.expectedFindings.count && findings.allSatisfy { $0.status == .open })
    }
}
