import Foundation
import Testing
import TrailWardenCore
import TrailWardenCrypto
import TrailWardenGzip
import TrailWardenState
import TrailWardenStorage
import TrailWardenVocabulary
@testable import TrailWardenScan
@testable import TrailWardenSimulation

/// Incremental scans over a local archive: a grown world is scanned for its
/// new digests only, a false link at the checkpoint is caught, and an old
/// digest tampered after it was validated is found only by a rescan from
/// before it.
@Suite struct IncrementalScanTests {
    /// Counts digest reads on their way to the archive.
    final class CountingStore: ObjectStore, @unchecked Sendable {
        // Touched only under the lock.
        private let lock = NSLock()
        private var reads: [String] = []
        let inner: LocalDirectoryStore

        init(_ inner: LocalDirectoryStore) { self.inner = inner }

        var digestReads: [String] { lock.withLock { reads.filter { $0.contains("/CloudTrail-Digest/") } } }
        /// Every object read, digests and log files alike.
        var readCount: Int { lock.withLock { reads.count } }

        func listKeys(bucket: String, prefix: String, startAfter: String?) -> AsyncThrowingStream<String, any Error> {
            inner.listKeys(bucket: bucket, prefix: prefix, startAfter: startAfter)
        }

        func read<Consumer: BodyConsumer>(_ location: ObjectLocation, into consumer: inout Consumer) async throws -> UserMetadata {
            lock.withLock { reads.append(location.key) }
            return try await inner.read(location, into: &consumer)
        }
    }

    let root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-incremental-\(UUID().uuidString)")

    func scan(_ world: World, store: CountingStore, state: any StateStore, since: Date? = nil, until: Date) async throws -> ScanReport {
        let chain = world.manifest.chains[0]
        var plan = ScanPlan(includeAccounts: [chain.chain.accountID], role: { RoleTarget(roleARN: "arn:aws:iam::\($0):role/R") }, discoverTrails: false,
                            explicitTrails: [PlannedTrail(arn: TrailARN(chain.trailARN)!, bucket: chain.chain.bucket, prefix: chain.chain.prefix,
                                                          regions: [chain.chain.sourceRegion])],
                            regions: [chain.chain.sourceRegion])
        plan.since = since
        plan.until = until
        let keys = StaticPublicKeySource(keys: try PublicKeyList.decode(world.publicKeysJSON, file: "world"))
        return try await ScanCoordinator(plan: plan, source: ArchiveScanSource(store: store, keys: keys, name: root.path), state: state).run(request: "{}")
    }

    /// The world's standard digests of its first chain, oldest first.
    func digests(_ world: World) -> [ObjectLocation] {
        let chain = world.manifest.chains[0].chain
        return world.objects.keys.filter { chain.digestKeyName($0.key).map { !$0.isBackfill } ?? false }.sorted()
    }

    @Test func onlyNewDigestsAreReadAndOldTamperingNeedsARescanFromBefore() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let start = Date().addingTimeInterval(-30 * 3600)
        let world = try WorldBuilder(spec: WorldSpec(accounts: 1, regions: ["us-east-1"], hours: 24, logsPerDigest: 3, start: start)).build()
        let all = digests(world)
        let store = CountingStore(LocalDirectoryStore(root: root))
        try await world.write(to: store.inner)
        let state = try SQLiteStateStore(path: root.appendingPathComponent("state.sqlite").path)

        // The first scan sees the world as it stood 6 digests ago.
        let cut = try #require(DigestKeyName(key: all[all.count - 7].key, folder: world.manifest.chains[0].chain.digestFolder,
                                             accountID: world.manifest.chains[0].chain.accountID, sourceRegion: "us-east-1")).endTime
        let first = try await scan(world, store: store, state: state, until: cut)
        #expect(first.totals.findings == 0 && first.totals.validDigests > 10)
        let readsBefore = store.digestReads.count

        // Grown by six hours: only the digests after the checkpoint are read.
        let checkpoint = try #require(try await state.checkpoint(for: world.manifest.chains[0].chain))
        let newer = all.filter { $0.key > checkpoint.digestKey }
        #expect(newer.count >= 5)
        let second = try await scan(world, store: store, state: state, until: Date())
        #expect(second.totals.findings == 0)
        #expect(second.totals.validDigests == newer.count)
        // And the checkpoint's digest: the first scan's search for unreferenced log files stopped
        // short of its end (the first scan ended before it), and the log files of those minutes
        // that no new digest lists are looked up in it.
        #expect(Set(store.digestReads.dropFirst(readsBefore).filter { $0.contains("_management-events_") })
                == Set(newer.map(\.key) + [checkpoint.digestKey]))

        // Tampering with an already validated digest goes unseen by an incremental scan...
        var old = try #require(world.objects[all[2]])
        old.body = Array("overwritten".utf8)
        try await store.inner.put(all[2], body: old.body, metadata: old.metadata)
        let third = try await scan(world, store: store, state: state, until: Date())
        #expect(third.totals.findings == 0 && third.totals.validDigests == 0)
        // ...and is reported by a rescan from before it.
        let full = try await scan(world, store: store, state: state, since: start, until: Date())
        #expect(full.accounts.flatMap(\.chains).flatMap(\.findings).map(\.kind) == [.digestInvalidFormat])
    }

    @Test func aFalseLinkAtTheCheckpointIsReported() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let world = try WorldBuilder(spec: WorldSpec(accounts: 1, regions: ["us-east-1"], hours: 24, logsPerDigest: 2,
                                                     start: Date().addingTimeInterval(-30 * 3600))).build()
        let all = digests(world)
        let store = CountingStore(LocalDirectoryStore(root: root))
        try await world.write(to: store.inner)
        let state = try SQLiteStateStore(path: root.appendingPathComponent("state.sqlite").path)
        let chain = world.manifest.chains[0].chain
        let cut = try #require(chain.digestKeyName(all[all.count - 4].key)).endTime
        _ = try await scan(world, store: store, state: state, until: cut)
        let checkpoint = try #require(try await state.checkpoint(for: chain))
        let newer = all.filter { $0.key > checkpoint.digestKey }
        #expect(newer.count >= 2)
        let next = newer[0]

        // The digest after the checkpoint, validly signed, now names another predecessor hash,
        // and the digest after it is re-signed to link to the forgery: each is valid on its own.
        let original = try await store.inner.get(next)
        let originalSHA256 = Digests.sha256Hex(try Gzip.inflate(original.body))
        let forged = try await resign(next, in: store.inner) {
            $0.replacingOccurrences(of: "\"previousDigestHashValue\":\"", with: "\"previousDigestHashValue\":\"00")
        }
        _ = try await resign(newer[1], in: store.inner) {
            $0.replacingOccurrences(of: originalSHA256, with: forged.sha256)
                .replacingOccurrences(of: original.metadata["signature"] ?? "", with: forged.signature)
        }
        let report = try await scan(world, store: store, state: state, until: Date())
        let findings = report.accounts.flatMap(\.chains).flatMap(\.findings)
        #expect(findings.map(\.kind) == [.chainCheckpointBreak])
        #expect(findings.first?.object == next.description)
        #expect(report.totals.validDigests == newer.count)
    }

    /// Rewrites a digest's JSON with `edit` and signs it again with the world key it names.
    func resign(_ location: ObjectLocation, in store: LocalDirectoryStore, _ edit: (String) -> String) async throws -> (sha256: String, signature: String) {
        let object = try await store.get(location)
        let json = Array(edit(String(decoding: try Gzip.inflate(object.body), as: UTF8.self)).utf8)
        let file = try DigestFile(json: json)
        let keys = try [SimulationKeys.first, SimulationKeys.second].map { try RSAPrivateKey(pem: $0) }
        let key = try #require(keys.first { Digests.md5Hex($0.publicKeyPKCS1DER) == file.publicKeyFingerprint })
        let sha256 = Digests.sha256Hex(json)
        let signature = Hex.encode(key.sign(Array(file.stringToSign(uncompressedSHA256Hex: sha256).utf8)))
        try await store.put(location, body: Gzip.compress(json), metadata: ["signature": signature, "signature-algorithm": "SHA256withRSA"])
        return (sha256, signature)
    }
}
