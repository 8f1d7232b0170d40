import Foundation
import Testing
import TrailWardenAWS
import TrailWardenScan
import TrailWardenSimulation
import TrailWardenState
import TrailWardenTestSupport
import TrailWardenVocabulary
@testable import TrailWardenCLI

/// `scan --state s3://…` against the emulator: shards side by side, each with its own state
/// object; a lease that keeps a second task off a state; a state changed behind a task's back;
/// and a task killed with SIGKILL whose rerun resumes from the last upload.
@Suite(.serialized) struct RemoteStateTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-remote-\(UUID().uuidString)")
    let bucket = Emulator.uniqueBucket("tw-state")

    func client() throws -> S3Client { S3Client(transport: try Emulator.transport(), region: "us-east-1") }

    /// A world in a local archive and its configuration (one chain at a time, so that uploads and kills land between chains).
    func prepare() async throws -> (manifest: WorldManifest, config: URL) {
        let manifest = try await ShardedScanTests.world(root)
        let config = root.appendingPathComponent("config.json")
        var json = try JSONSerialization.jsonObject(with: DemoCommand.configurationText(manifest, state: "unused.sqlite")) as? [String: Any] ?? [:]
        json["limits"] = ["accountsInParallel": 1]
        try JSONSerialization.data(withJSONObject: json).write(to: config)
        try await client().createBucket(bucket)
        return (manifest, config)
    }

    func scanArguments(_ config: URL, state: String, until: String, _ extra: [String] = []) -> [String] {
        ["scan", "--config", config.path, "--store", "file://" + root.path, "--public-keys",
         root.appendingPathComponent(WorldManifest.publicKeysFileName).path, "--until", until, "--quiet", "--state", state] + extra
    }

    func start(_ arguments: [String], standardError: Pipe? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Processes.trailwarden)
        process.arguments = arguments
        process.environment = try Emulator.environment(Emulator.defaultCredentials)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = standardError ?? FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Downloads a state object to a local file.
    func download(_ key: String) async throws -> String {
        var body = BodyCollector(limit: 256 << 20, subject: key)
        _ = try await client().getObject(bucket: bucket, key: key, into: &body)
        let path = root.appendingPathComponent("downloaded-\(UUID().uuidString).sqlite").path
        try Data(body.bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func shardsSideBySideEachWriteTheirOwnStateAndTogetherMatchOneScan() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let (manifest, config) = try await prepare()
        let until = CloudTrailTime.display(Date())
        let whole = root.appendingPathComponent("whole.sqlite").path
        #expect(await Run(scanArguments(config, state: whole, until: until)).code == 1)
        let expected = try await ShardedScanTests.recorded(whole)

        let count = 3
        let shards = try (0..<count).map { try start(scanArguments(config, state: "s3://\(bucket)/nightly/", until: until,
                                                                   ["--shard", "\($0)/\(count)", "--upload-every", "2"])) }
        shards.forEach { $0.waitUntilExit() }
        #expect(shards.allSatisfy { [0, 1].contains($0.terminationStatus) }, "\(shards.map(\.terminationStatus))")
        var merged = ShardedScanTests.Recorded()
        for index in 0..<count {
            let shard = try await ShardedScanTests.recorded(try await download("nightly/shard-\(index)-of-\(count).sqlite"))
            merged.chains += shard.chains
            merged.findings.formUnion(shard.findings)
            // The lease was given up at the end.
            #expect(try await client().headObjectETag(bucket: bucket, key: "nightly/shard-\(index)-of-\(count).sqlite.lease") == nil)
        }
        #expect(merged.chains.sorted() == expected.chains.sorted())
        #expect(merged.findings == expected.findings)

        // One report from the prefix equals the unsharded scan's: chains, findings, coverage, totals.
        let period = ["--from", CloudTrailTime.display(Date().addingTimeInterval(-25 * 3600)), "--to", until, "--format", "json"]
        let unsharded = await Run(["report", "--state", whole] + period)
        let sharded = try Processes.run(Processes.trailwarden, ["report", "--state", "s3://\(bucket)/nightly/"] + period,
                                        environment: try Emulator.environment(Emulator.defaultCredentials))
        #expect(unsharded.code == 0 && sharded.code == 0, "\(sharded.standardError)")
        let expectedReport = try ReportJSON(unsharded.standardOutput)
        let mergedReport = try ReportJSON(sharded.standardOutput)
        mergedReport.expectSameAccountsAndSummary(as: expectedReport)
        #expect(mergedReport.runs == count && expectedReport.accounts.count == Set(manifest.chains.map(\.chain.accountID)).count)

        // A shard whose state is gone is named in the report, and the report says it is incomplete.
        try await client().deleteObject(bucket: bucket, key: "nightly/shard-1-of-\(count).sqlite")
        let gap = try Processes.run(Processes.trailwarden, ["report", "--state", "s3://\(bucket)/nightly/"] + period,
                                    environment: try Emulator.environment(Emulator.defaultCredentials))
        #expect(gap.code == 3 && gap.standardError.contains("shard 1/\(count)"), "\(gap.standardError)")
        let gapReport = try ReportJSON(gap.standardOutput)
        #expect(gapReport.runErrors.contains { $0.hasPrefix("shard 1/\(count): no state") })
        #expect(gapReport.summary["errors"] as? Int == 1)
    }

    @Test func aHeldLeaseKeepsASecondTaskOffAndAnExpiredOneIsTakenOver() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let (_, config) = try await prepare()
        let until = CloudTrailTime.display(Date())
        let lease = "shard.sqlite.lease"
        let held = try await client().putObject(bucket: bucket, key: lease, body: StateLeaseText.body("other task", Date().addingTimeInterval(3600)), if: .absent)
        let environment = try Emulator.environment(Emulator.defaultCredentials)
        let refused = try Processes.run(Processes.trailwarden, scanArguments(config, state: "s3://\(bucket)/shard.sqlite", until: until), environment: environment)
        #expect(refused.code == 3 && refused.standardError.contains("held by other task"), "\(refused.standardError)")
        #expect(try await client().headObjectETag(bucket: bucket, key: "shard.sqlite") == nil)
        #expect(try await client().headObjectETag(bucket: bucket, key: lease) == held)

        // The holder died an hour ago: its lease has expired, and the next task takes it over.
        _ = try await client().putObject(bucket: bucket, key: lease, body: StateLeaseText.body("dead task", Date().addingTimeInterval(-3600)), if: .matches(held))
        let taken = try Processes.run(Processes.trailwarden, scanArguments(config, state: "s3://\(bucket)/shard.sqlite", until: until), environment: environment)
        #expect(taken.code == 1, "\(taken.standardError)")
        #expect(try await client().headObjectETag(bucket: bucket, key: "shard.sqlite") != nil)
        #expect(try await client().headObjectETag(bucket: bucket, key: lease) == nil)
    }

    @Test func aStateChangedBehindATasksBackIsNeverOverwritten() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try await prepare()
        let location = RemoteStateLocation(bucket: bucket, key: "raced.sqlite")
        let remote = try await RemoteState.open(location, client: try client(), owner: "test task")
        let store = try SQLiteStateStore(path: remote.localPath)
        try await remote.upload(store)
        // Another writer (a task that ignored the lease) replaces the object.
        try await client().putObject(bucket: bucket, key: location.key, body: Array("someone else's".utf8))
        do {
            try await remote.upload(store)
            Issue.record("an upload over a changed state went through")
        } catch let error as RemoteStateError {
            #expect(error.kind == .raceLost, "\(error)")
        }
        var body = BodyCollector(limit: 1024, subject: "raced")
        _ = try await client().getObject(bucket: bucket, key: location.key, into: &body)
        #expect(body.bytes == Array("someone else's".utf8))
        await remote.abandon(store)
        await store.close()
    }

    @Test func aTaskKilledMidRunLeavesItsLastUploadAndTheRerunResumes() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let (manifest, config) = try await prepare()
        let chains = manifest.chains.map(\.chain)
        let until = CloudTrailTime.display(Date())
        let whole = root.appendingPathComponent("whole.sqlite").path
        #expect(await Run(scanArguments(config, state: whole, until: until)).code == 1)
        let expected = try await ScanCrashTests.outcome(whole, chains: chains)

        let state = "s3://\(bucket)/killed.sqlite"
        let extra = ["--upload-every", "1", "--lease-seconds", "5"]
        let progress = Pipe()
        let killed = try start(scanArguments(config, state: state, until: until, extra).filter { $0 != "--quiet" }, standardError: progress)
        let seen = progress.fileHandleForReading.read(until: "chains 4/")
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        let drained = PipeDrain(progress.fileHandleForReading)
        _ = drained.wait()
        #expect(killed.terminationReason == .uncaughtSignal, "\(seen)")
        // What was uploaded before the kill is a whole state: the killed run, still marked running, with its first chains.
        let left = try SQLiteStateStore(path: try await download("killed.sqlite"))
        let runs = try await left.runs()
        #expect(runs.count == 1 && runs.first?.status == .running)
        let uploadedChains = try await left.chainResults(run: runs[0].id).count
        #expect(uploadedChains >= 2 && uploadedChains < chains.count, "\(uploadedChains) chains uploaded")
        await left.close()

        // The dead task's lease lasts at most 5 seconds past its last renewal; then the rerun takes it and resumes.
        try await Task.sleep(nanoseconds: 6_000_000_000)
        let resumed = try start(scanArguments(config, state: state, until: until, extra))
        resumed.waitUntilExit()
        #expect(resumed.terminationStatus == 1)
        #expect(try await ScanCrashTests.outcome(try await download("killed.sqlite"), chains: chains) == expected)
    }
}

/// A lease document as another task would write it.
enum StateLeaseText {
    static func body(_ owner: String, _ expiresAt: Date) -> [UInt8] {
        Array("{\"owner\":\"\(owner)\",\"expiresAt\":\"\(CloudTrailTime.display(expiresAt))\"}".utf8)
    }
}

/// The parts of a JSON compliance report that a sharded scan must share with an unsharded one:
/// the accounts without the times and run numbers of the runs that made them, and the summary.
struct ReportJSON {
    var accounts: [String]
    var summary: [String: Any]
    var runs: Int
    var runErrors: [String]

    static let runSpecific: Set<String> = ["firstSeen", "firstSeenRun", "lastSeen", "lastSeenRun", "lastScanned", "run"]

    init(_ text: String) throws {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        func stripped(_ value: Any) -> Any {
            if let object = value as? [String: Any] {
                return object.filter { !Self.runSpecific.contains($0.key) }.mapValues(stripped)
            }
            if let array = value as? [Any] { return array.map(stripped) }
            return value
        }
        accounts = try (json["accounts"] as? [Any] ?? []).map {
            String(decoding: try JSONSerialization.data(withJSONObject: stripped($0), options: [.sortedKeys]), as: UTF8.self)
        }
        summary = json["summary"] as? [String: Any] ?? [:]
        let runList = json["runs"] as? [[String: Any]] ?? []
        runs = runList.count
        runErrors = runList.flatMap { $0["errors"] as? [String] ?? [] }
    }

    /// The check every sharded test makes: this (merged) report's accounts, chains, findings,
    /// coverage and summary are `unsharded`'s.
    func expectSameAccountsAndSummary(as unsharded: ReportJSON, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(accounts == unsharded.accounts, sourceLocation: sourceLocation)
        #expect(NSDictionary(dictionary: summary).isEqual(to: unsharded.summary), "\(summary) \(unsharded.summary)", sourceLocation: sourceLocation)
    }
}
