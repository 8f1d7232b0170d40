import Foundation
import Testing
import TrailWardenCore
import TrailWardenScan
import TrailWardenSimulation
import TrailWardenState
import TrailWardenTestSupport
@testable import TrailWardenCLI
import TrailWardenVocabulary

/// `scan --shard`: the shards of an organization, each with its own state, together
/// check exactly the chains one unsharded scan checks, each once, with the same results.
@Suite struct ShardedScanTests {
    /// One state's chain results and findings, as comparable text.
    struct Recorded: Equatable {
        var chains: [String] = []
        var findings: Set<String> = []
        var requests: [String] = []
    }

    static func recorded(_ path: String) async throws -> Recorded {
        let state = try SQLiteStateStore(path: path)
        // Closed before returning, not in a later task: the next in-process scan of this file must find it unlocked.
        do {
            let recorded = try await recorded(state)
            await state.close()
            return recorded
        } catch {
            await state.close()
            throw error
        }
    }

    static func recorded(_ state: SQLiteStateStore) async throws -> Recorded {
        var recorded = Recorded()
        for run in try await state.runs() {
            recorded.requests.append(run.request)
            for result in try await state.chainResults(run: run.id) {
                let tally = result.tally
                recorded.chains.append("\(result.chain) \(tally.validDigests) \(tally.invalidDigests) \(tally.validLogs) \(tally.invalidLogs) \(result.findingKeys)")
            }
        }
        for finding in try await state.findings(chain: nil) {
            recorded.findings.insert("\(finding.accountID) \(finding.chain.map { "\($0)" } ?? "trail") \(finding.kind) \(finding.object)")
        }
        return recorded
    }

    /// `world(root)` with a scan configuration naming its trails, scanned from the archive (no
    /// AWS): what the tests of sharded local states share.
    struct ArchivedOrganization {
        let root: URL
        let manifest: WorldManifest
        let config: URL
        let until = CloudTrailTime.display(Date())

        init(_ root: URL) async throws {
            self.root = root
            manifest = try await ShardedScanTests.world(root)
            config = root.appendingPathComponent("config.json")
            try DemoCommand.configurationText(manifest, state: "unused.sqlite").write(to: config)
        }

        /// A scan of the archive into `state`: a path, or a name in the root folder.
        func scan(_ state: String, _ extra: [String]) async -> Run {
            await Run(["scan", "--config", config.path, "--store", "file://" + root.path, "--public-keys",
                       root.appendingPathComponent(WorldManifest.publicKeysFileName).path, "--until", until, "--quiet",
                       "--state", state.hasPrefix("/") ? state : root.appendingPathComponent(state).path] + extra)
        }
    }

    /// A small organization (an organization trail over six accounts, two regions), tampered, in a local archive.
    static func world(_ root: URL) async throws -> WorldManifest {
        let spec = WorldSpec(accounts: 6, regions: ["us-east-1", "eu-west-1"], hours: 24, logsPerDigest: 2, organizationID: "o-shard12345",
                             tampers: [.logModify, .digestDelete], seed: 14, start: Date().addingTimeInterval(-25 * 3600))
        let world = try WorldFiles.build(spec)
        try await WorldFiles.write(world, to: root)
        return world.manifest
    }

    @Test func shardsTogetherScanEveryChainOnceAsOneUnshardedScanDoes() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-shards-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let organization = try await ShardedScanTests.ArchivedOrganization(root)
        let manifest = organization.manifest
        func scan(_ state: String, _ extra: [String]) async -> Run { await organization.scan(state, extra) }
        let whole = await scan("whole.sqlite", [])
        #expect(whole.code == 1, "\(whole.standardError)")
        let expected = try await Self.recorded(root.appendingPathComponent("whole.sqlite").path)
        #expect(expected.chains.count == manifest.chains.count)

        let count = 3
        var merged = Recorded()
        for index in 0..<count {
            let run = await scan("shard-\(index).sqlite", ["--shard", "\(index)/\(count)", "--scan-id", "nightly-1"])
            #expect([0, 1].contains(run.code), "\(run.standardError)")
            let shard = try await Self.recorded(root.appendingPathComponent("shard-\(index).sqlite").path)
            #expect(shard.requests.count == 1 && shard.requests[0].contains("\"scanId\":\"nightly-1\"")
                    && shard.requests[0].contains("\"shard\":\"\(index)\\/\(count)\""), "\(shard.requests)")
            merged.chains += shard.chains
            merged.findings.formUnion(shard.findings)
        }
        // No chain twice, none missed, each with the unsharded scan's result.
        #expect(merged.chains.sorted() == expected.chains.sorted())
        #expect(merged.findings == expected.findings)

        // One report from the three local states; then a shard scanned again for a newer scan
        // leaves the other two behind, and the report names them.
        let states = (0..<count).flatMap { ["--state", root.appendingPathComponent("shard-\($0).sqlite").path] }
        let whole3 = await Run(["report", "--format", "json"] + states)
        #expect(whole3.code == 0, "\(whole3.standardError)")
        let again = await scan("shard-2.sqlite", ["--shard", "2/\(count)", "--scan-id", "nightly-2"])
        #expect([0, 1].contains(again.code), "\(again.standardError)")
        let stale = await Run(["report", "--format", "json"] + states)
        #expect(stale.code == 3)
        for shard in ["0/3", "1/3"] {
            #expect(stale.standardError.contains("shard \(shard): its last run (run 1) is of scan nightly-1, not of the newest scan nightly-2"), "\(stale.standardError)")
        }
        #expect(!stale.standardError.contains("shard 2/3"))
    }

    @Test func shardOptionsAreCheckedBeforeAnyStateIsCreated() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-shard-usage-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let manifest = try await Self.world(root)
        let config = root.appendingPathComponent("config.json")
        let state = root.appendingPathComponent("state.sqlite")
        try DemoCommand.configurationText(manifest, state: state.path).write(to: config)
        for arguments in [["--shard", "3/3"], ["--shard", "auto"], ["--shard-count", "2"], ["--shard", "1/2", "--shard-count", "2"]] {
            let run = await Run(["scan", "--config", config.path, "--store", "file://" + root.path, "--public-keys",
                                 root.appendingPathComponent(WorldManifest.publicKeysFileName).path] + arguments)
            #expect(run.code == 2 && run.standardError.contains("shard"), "\(arguments): \(run.standardError)")
        }
        #expect(!FileManager.default.fileExists(atPath: state.path))
    }

    @Test func autoTakesItsCountFromTheOptionElseTheConfiguration() throws {
        func shard(_ arguments: [String], configured: Int?, _ environment: [String: String]) throws -> ShardAssignment? {
            try ShardOptions.assignment(try ArgumentParser.parse(arguments, options: ScanCommand.options), configuredCount: configured,
                                        environment: environment)
        }
        #expect(try shard(["--shard", "auto"], configured: 4, ["JOB_COMPLETION_INDEX": "3"]) == ShardAssignment(index: 3, count: 4))
        #expect(try shard(["--shard", "auto", "--shard-count", "2"], configured: 4, ["AWS_BATCH_JOB_ARRAY_INDEX": "1"])
                == ShardAssignment(index: 1, count: 2))
        #expect(try shard([], configured: 4, ["JOB_COMPLETION_INDEX": "3"]) == nil)
        #expect(throws: UsageError.self) { try shard(["--shard", "auto"], configured: nil, ["JOB_COMPLETION_INDEX": "0"]) }
        #expect(throws: UsageError.self) { try shard(["--shard", "auto"], configured: 4, ["JOB_COMPLETION_INDEX": "4"]) }
    }
}
