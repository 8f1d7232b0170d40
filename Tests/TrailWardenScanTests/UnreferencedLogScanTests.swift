import Foundation
import Testing
import TrailWardenCore
import TrailWardenGzip
import TrailWardenState
import TrailWardenStorage
import TrailWardenVocabulary
@testable import TrailWardenScan
@testable import TrailWardenSimulation

/// The search for unreferenced log files over a local archive: in a folder two trails
/// share, one trail's broken digests are its own finding, not its neighbour's unreferenced
/// logs; and the minutes an incremental run leaves unexamined are examined by the next.
@Suite struct UnreferencedLogScanTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-unreferenced-\(UUID().uuidString)")

    /// The first account's two trails, which share one bucket, prefix and folders.
    static func world() throws -> World {
        try WorldBuilder(spec: WorldSpec(accounts: 1, regions: ["us-east-1"], hours: 12, logsPerDigest: 2,
                                         start: Date().addingTimeInterval(-14 * 3600))).build()
    }

    func scan(_ world: World, trails: [WorldChain], store: any ObjectStore, state: any StateStore) async throws -> ScanReport {
        let account = world.manifest.chains[0].chain.accountID
        var plan = ScanPlan(includeAccounts: [account], role: { RoleTarget(roleARN: "arn:aws:iam::\($0):role/R") }, discoverTrails: false,
                            explicitTrails: trails.map {
                                PlannedTrail(arn: TrailARN($0.trailARN)!, bucket: $0.chain.bucket, prefix: $0.chain.prefix, regions: [$0.chain.sourceRegion])
                            },
                            regions: ["us-east-1"])
        plan.until = Date()
        let keys = StaticPublicKeySource(keys: try PublicKeyList.decode(world.publicKeysJSON, file: "world"))
        return try await ScanCoordinator(plan: plan, source: ArchiveScanSource(store: store, keys: keys, name: root.path), state: state).run(request: "{}")
    }

    static func standardDigests(_ world: World, of chain: DigestChain) -> [ObjectLocation] {
        world.objects.keys.filter { chain.digestKeyName($0.key).map { !$0.isBackfill } ?? false }.sorted()
    }

    static func logKey(_ chain: DigestChain, deliveredAt time: Date, unique: String) -> ObjectLocation {
        ObjectLocation(bucket: chain.bucket, key: chain.logFolder + CloudTrailTime.dayPath(time) + "/"
                       + "\(chain.accountID)_CloudTrail_\(chain.sourceRegion)_\(CloudTrailTime.logKeyStamp(time))_\(unique).json.gz")
    }

    static func inject(_ location: ObjectLocation, into store: LocalDirectoryStore) async throws {
        try await store.put(location, body: Gzip.compress(Array("{\"Records\":[]}".utf8)), metadata: [:])
    }

    @Test func aSharedFoldersBrokenDigestsAreTheirTrailsFindingNotTheNeighboursUnreferencedLogs() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        var world = try Self.world()
        let trails = world.manifest.chains
        let neighbour = try #require(trails.first { $0.chain.trailName == "management-events" })
        let broken = try #require(trails.first { $0.chain.trailName == "sec_audit.trail-2" })
        #expect(neighbour.chain.logFolder == broken.chain.logFolder && neighbour.chain.digestFolder == broken.chain.digestFolder)
        // One of the trail's digests deleted, another overwritten; both listed log files.
        let digests = Self.standardDigests(world, of: broken.chain)
        let listing = { (location: ObjectLocation) in
            (try? DigestFile(json: Gzip.inflate(world.objects[location]!.body)))?.logFiles.count ?? 0
        }
        let deleted = try #require(digests.dropFirst(2).first { listing($0) > 0 })
        let overwritten = try #require(digests.dropFirst(6).first { listing($0) > 0 })
        world.objects[deleted] = nil
        world.objects[overwritten]?.body = Array("overwritten".utf8)
        let store = LocalDirectoryStore(root: root)
        try await world.write(to: store)
        // A log file no digest of either trail lists, in an hour both trails' digests prove.
        let provenHour = try #require(broken.chain.digestKeyName(digests[1].key)).endTime.addingTimeInterval(-1800)
        let injected = Self.logKey(broken.chain, deliveredAt: provenHour, unique: "InjectedByAttackr")
        try await Self.inject(injected, into: store)
        let state = try SQLiteStateStore(path: root.appendingPathComponent("state.sqlite").path)

        let report = try await scan(world, trails: [neighbour, broken], store: store, state: state)
        let chains = report.accounts.flatMap(\.chains)
        let neighbours = try #require(chains.first { $0.chain.trailName == neighbour.chain.trailName })
        let brokens = try #require(chains.first { $0.chain.trailName == broken.chain.trailName })
        #expect(neighbours.error == nil && brokens.error == nil)
        // The neighbour's digests are intact: only the injected file is its concern, and its
        // trail's ARN sorts first, so the folder's stray file is reported on its chain alone.
        #expect(neighbours.trailARN < brokens.trailARN)
        #expect(neighbours.findings.map(\.kind) == [.logUnreferenced])
        #expect(neighbours.findings.map(\.object) == [injected.description])
        // The broken trail's digests are its findings; the log files they listed are theirs, not unreferenced.
        let objects = brokens.findings.map(\.object)
        #expect(objects.contains(deleted.description) && objects.contains(overwritten.description))
        #expect(brokens.findings.filter { $0.kind == .logUnreferenced }.isEmpty)
    }

    @Test func aStrayFileOfASharedFolderIsReportedOnceOnTheFirstTrailsChain() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let world = try Self.world()
        let trails = world.manifest.chains.sorted { $0.trailARN < $1.trailARN }
        #expect(trails.count == 2 && trails[0].chain.digestFolder == trails[1].chain.digestFolder)
        let store = LocalDirectoryStore(root: root)
        try await world.write(to: store)
        let digests = Self.standardDigests(world, of: trails[1].chain)
        let provenHour = try #require(trails[1].chain.digestKeyName(digests[3].key)).endTime.addingTimeInterval(-1800)
        let injected = Self.logKey(trails[1].chain, deliveredAt: provenHour, unique: "StrayInSharedDir")
        try await Self.inject(injected, into: store)

        // Both trails scanned: one finding, on the chain of the trail whose ARN sorts first.
        let both = try await scan(world, trails: trails.reversed(), store: store,
                                  state: try SQLiteStateStore(path: root.appendingPathComponent("both.sqlite").path))
        let chains = both.accounts.flatMap(\.chains)
        #expect(chains.count == 2 && chains.allSatisfy { $0.error == nil })
        let reported = chains.filter { !$0.findings.isEmpty }
        #expect(reported.map(\.trailARN) == [trails[0].trailARN])
        #expect(reported.flatMap(\.findings).map(\.kind) == [.logUnreferenced])
        #expect(reported.flatMap(\.findings).map(\.object) == [injected.description])
        #expect(both.totals.findings == 1)

        // The second trail scanned alone reports it: no scanned neighbour would.
        let alone = try await scan(world, trails: [trails[1]], store: store,
                                   state: try SQLiteStateStore(path: root.appendingPathComponent("alone.sqlite").path))
        #expect(alone.accounts.flatMap(\.chains).flatMap(\.findings).map(\.object) == [injected.description])
    }

    @Test func filesOnlyTheSecondTrailProvesAreReportedOnceOnItsChain() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        var world = try Self.world()
        let trails = world.manifest.chains.sorted { $0.trailARN < $1.trailARN }
        // The first trail's last four digests are gone (it stopped): its newest is hours behind the second's,
        // and the log files those digests listed are listed by no digest any more.
        let gone = Self.standardDigests(world, of: trails[0].chain).suffix(4)
        let orphans = gone.flatMap { (try? DigestFile(json: Gzip.inflate(world.objects[$0]!.body)))?.logFiles ?? [] }
        gone.forEach { world.objects[$0] = nil }
        let store = LocalDirectoryStore(root: root)
        try await world.write(to: store)
        let ends = Self.standardDigests(world, of: trails[1].chain).compactMap { trails[1].chain.digestKeyName($0.key)?.endTime }
        let late = Self.logKey(trails[1].chain, deliveredAt: ends[ends.count - 2].addingTimeInterval(-1800), unique: "OnlySecondProves")
        try await Self.inject(late, into: store)

        let report = try await scan(world, trails: trails, store: store,
                                    state: try SQLiteStateStore(path: root.appendingPathComponent("state.sqlite").path))
        let findings = report.accounts.flatMap(\.chains).flatMap { chain in chain.findings.map { (trail: chain.trailARN, finding: $0) } }
        // The second trail's digests alone prove those hours: its chain reports each file, once; the first's, none.
        #expect(!orphans.isEmpty && findings.allSatisfy { $0.finding.kind == .logUnreferenced && $0.trail == trails[1].trailARN })
        let objects = findings.map(\.finding.object)
        #expect(objects.contains(late.description) && Set(objects).count == objects.count)
        #expect(Set(objects).isSubset(of: Set(orphans.map { "s3://\($0.bucket)/\($0.key)" } + [late.description])))
    }

    @Test func minutesBeforeTheNewestDigestAreExaminedByTheNextIncrementalRun() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let world = try Self.world()
        let trail = try #require(world.manifest.chains.first { $0.chain.trailName == "management-events" })
        let chain = trail.chain
        // The first run sees the world two hours before it grew to its end.
        var earlier = world
        let held = world.manifest.chains.flatMap { Self.standardDigests(world, of: $0.chain).suffix(2) }
        held.forEach { earlier.objects[$0] = nil }
        let store = IncrementalScanTests.CountingStore(LocalDirectoryStore(root: root))
        try await earlier.write(to: store.inner)
        let state = try SQLiteStateStore(path: root.appendingPathComponent("state.sqlite").path)
        let first = try await scan(world, trails: [trail], store: store, state: state)
        #expect(first.totals.findings == 0 && first.totals.errors == 0)
        let checkpoint = try #require(try await state.checkpoint(for: chain))
        let searched = try #require(checkpoint.unreferencedCheckedThrough)
        #expect(searched < checkpoint.digestEndTime)

        // A log file placed in the minutes the first run left for the next digest...
        let injected = Self.logKey(chain, deliveredAt: checkpoint.digestEndTime.addingTimeInterval(-120), unique: "InTheMarginWindow")
        #expect(try #require(LogKeyName(key: injected.key, folder: chain.logFolder, accountID: chain.accountID,
                                        sourceRegion: chain.sourceRegion)).deliveryTime > searched)
        try await Self.inject(injected, into: store.inner)
        // ...is not examined while no newer digest has come, and costs no read...
        let readsBefore = store.digestReads.count
        let waiting = try await scan(world, trails: [trail], store: store, state: state)
        #expect(waiting.totals.findings == 0 && store.digestReads.count == readsBefore)
        // ...and is reported by the next incremental run, with nothing else.
        for location in held { try await store.inner.put(location, body: world.objects[location]!.body, metadata: world.objects[location]!.metadata) }
        let second = try await scan(world, trails: [trail], store: store, state: state)
        let findings = second.accounts.flatMap(\.chains).flatMap(\.findings)
        #expect(findings.map(\.kind) == [.logUnreferenced])
        #expect(findings.map(\.object) == [injected.description])
        let moved = try #require(try await state.checkpoint(for: chain)?.unreferencedCheckedThrough)
        #expect(moved > searched)
    }

    @Test func aNeighbourThatStoppedDeliveringHoldsTheSearchBackNoLonger() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        var world = try Self.world()
        let trail = try #require(world.manifest.chains.first { $0.chain.trailName == "management-events" })
        let stopped = try #require(world.manifest.chains.first { $0.chain.trailName == "sec_audit.trail-2" })
        // The neighbour's last four hours of digests are gone: its newest is hours behind.
        Self.standardDigests(world, of: stopped.chain).suffix(4).forEach { world.objects[$0] = nil }
        let store = LocalDirectoryStore(root: root)
        try await world.write(to: store)
        let ownDigests = Self.standardDigests(world, of: trail.chain)
        let lateHour = try #require(trail.chain.digestKeyName(ownDigests[ownDigests.count - 2].key)).endTime.addingTimeInterval(-1800)
        let injected = Self.logKey(trail.chain, deliveredAt: lateHour, unique: "AfterTheNeighbour")
        try await Self.inject(injected, into: store)
        let state = try SQLiteStateStore(path: root.appendingPathComponent("state.sqlite").path)

        let report = try await scan(world, trails: [trail], store: store, state: state)
        let findings = report.accounts.flatMap(\.chains).flatMap(\.findings)
        #expect(findings.allSatisfy { $0.kind == .logUnreferenced })
        #expect(findings.map(\.object).contains(injected.description))
    }
}
