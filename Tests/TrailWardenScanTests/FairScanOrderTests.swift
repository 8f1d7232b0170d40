import Foundation
import Testing
import TrailWardenCore
import TrailWardenStorage
import TrailWardenVocabulary
@testable import TrailWardenScan
@testable import TrailWardenState

/// The coordinator starts chains fairly across accounts and still reports them in order.
@Suite struct FairScanOrderTests {
    /// An empty archive that records the prefixes listed, in order.
    final class RecordingStore: ObjectStore, @unchecked Sendable {
        private let lock = NSLock()
        private var listed: [String] = []  // touched only under the lock

        var prefixes: [String] { lock.withLock { listed } }

        func listKeys(bucket: String, prefix: String, startAfter: String?) -> AsyncThrowingStream<String, any Error> {
            lock.withLock { listed.append(prefix) }
            return AsyncThrowingStream { $0.finish() }
        }

        func read<Consumer: BodyConsumer>(_ location: ObjectLocation, into consumer: inout Consumer) async throws -> UserMetadata {
            throw ObjectStoreError(.notFound, location.description, "not found")
        }
    }

    @Test func oneChainAtATimeGoesRoundTheAccounts() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-fair-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        // A large account with four trails, two small ones with one each; each trail its own prefix.
        let trails = [("111111111111", "l1"), ("111111111111", "l2"), ("111111111111", "l3"), ("111111111111", "l4"),
                      ("222222222222", "s"), ("333333333333", "t")]
        var plan = ScanPlan(includeAccounts: ["111111111111", "222222222222", "333333333333"],
                            role: { RoleTarget(roleARN: "arn:aws:iam::\($0):role/R") }, discoverTrails: false,
                            explicitTrails: try trails.map { account, name in
                                PlannedTrail(arn: try #require(TrailARN("arn:aws:cloudtrail:us-east-1:\(account):trail/\(name)")),
                                             bucket: "bucket", prefix: name, regions: ["us-east-1"])
                            },
                            accountsInParallel: 1)
        plan.since = Date(timeIntervalSince1970: 1_767_225_600)
        plan.until = plan.since?.addingTimeInterval(86400)
        let store = RecordingStore()
        let state = try SQLiteStateStore(path: root.appendingPathComponent("state.sqlite").path)
        let report = try await ScanCoordinator(plan: plan, source: ArchiveScanSource(store: store, keys: StaticPublicKeySource(keys: []), name: "empty"),
                                               state: state).run(request: "{}")

        // The order chains were started in: the first listing of each trail's prefix.
        var started = [String]()
        for prefix in store.prefixes {
            let name = String(prefix.prefix { $0 != "/" })
            if !started.contains(name) { started.append(name) }
        }
        #expect(started == ["l1", "s", "t", "l2", "l3", "l4"])
        // Reported in order of account and trail, whatever the order they ran in.
        #expect(report.accounts.map(\.accountID) == ["111111111111", "222222222222", "333333333333"])
        #expect(report.accounts[0].chains.map(\.chain.trailName) == ["l1", "l2", "l3", "l4"])
        #expect(report.totals.chains == 6)
    }
}
