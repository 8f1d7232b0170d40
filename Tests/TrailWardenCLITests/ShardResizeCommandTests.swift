import Foundation
import Testing
import TrailWardenAWS
import TrailWardenScan
import TrailWardenSimulation
import TrailWardenState
import TrailWardenTestSupport
import TrailWardenVocabulary
@testable import TrailWardenCLI

/// Sharded scans with their states in S3 (the emulator), as an operator runs them: a resize
/// from 3 to 4 shards that reads nothing already checked and announces nothing again, whose
/// merged report still equals one unsharded scan's, and a way back to 3 that is refused; a
/// shard killed with SIGKILL that resumes from its last upload; two tasks given the same
/// shard, of which only the first writes its state; and a local state split with `--previous-states`.
@Suite(.serialized) struct ShardResizeCommandTests {
    let states = RemoteStateTests()

    /// Waits for `process` at most `seconds`, then kills it (a hung scan fails the test instead of hanging it).
    func wait(_ process: Process, seconds: Double = 600) -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(100_000) }
        if process.isRunning {
            Issue.record("a scan still ran after \(Int(seconds)) s; killed")
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    func run(_ arguments: [String]) throws -> ProcessResult {
        try Processes.run(Processes.trailwarden, arguments, environment: try Emulator.environment(Emulator.defaultCredentials))
    }

    @Test func aResizeFromThreeToFourShardsRescansNothingAndTheMergedReportStillEqualsOneScan() async throws {
        defer { try? FileManager.default.removeItem(at: states.root) }
        let (manifest, config) = try await states.prepare()
        let accounts = Set(manifest.chains.map(\.chain.accountID))
        let moved = accounts.filter { ShardAssignment.shard(of: $0, count: 3) != ShardAssignment.shard(of: $0, count: 4) }
        try #require(!moved.isEmpty && moved.count < accounts.count, "\(moved)")
        let until = CloudTrailTime.display(Date())
        let prefix = "s3://\(states.bucket)/nightly/"

        // One unsharded state, scanned on two nights: what the sharded scan must equal.
        let whole = states.root.appendingPathComponent("whole.sqlite").path
        #expect(await Run(states.scanArguments(config, state: whole, until: until)).code == 1)
        #expect(await Run(states.scanArguments(config, state: whole, until: until)).code == 1)
        let expected = try await ShardedScanTests.recorded(whole)
        // The accounts with a finding (the world's tampering is in some of them).
        let tampered = Set(expected.findings.map { String($0.prefix(12)) })
        try #require(!tampered.isEmpty)

        // Night 1: three shards side by side.
        let night1 = try (0..<3).map { try states.start(states.scanArguments(config, state: prefix, until: until, ["--shard", "\($0)/3", "--scan-id", "night-1"])) }
        #expect(night1.map { wait($0) }.allSatisfy { [0, 1].contains($0) })

        // Night 2: four shards side by side. Each new state imports its accounts from the three under the prefix (read by all four at once).
        func owned(_ index: Int) -> Set<String> { accounts.filter { ShardAssignment.shard(of: $0, count: 4) == index } }
        let outputs = (0..<4).map { states.root.appendingPathComponent("night-2-\($0).json") }
        let night2 = try (0..<4).map { index in
            try Data().write(to: outputs[index])
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Processes.trailwarden)
            process.arguments = states.scanArguments(config, state: prefix, until: until, ["--shard", "\(index)/4", "--scan-id", "night-2", "--format", "json"])
            process.environment = try Emulator.environment(Emulator.defaultCredentials)
            process.standardOutput = try FileHandle(forWritingTo: outputs[index])
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        let codes = night2.map { wait($0) }
        for index in 0..<4 {
            #expect(codes[index] == (owned(index).isDisjoint(with: tampered) ? 0 : 1), "shard \(index)/4")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: outputs[index])) as? [String: Any])
            let totals = json["totals"] as? [String: Int] ?? [:]
            // Nothing read again (no digest or log file validated), nothing seen anew, every finding still open.
            #expect(totals["validDigests"] == 0 && totals["invalidDigests"] == 0 && totals["validLogs"] == 0 && totals["invalidLogs"] == 0
                    && totals["findings"] == 0 && totals["errors"] == 0, "\(totals)")
            #expect(((json["openFindings"] as? Int ?? 0) > 0) == !owned(index).isDisjoint(with: tampered))
        }
        var merged = ShardedScanTests.Recorded()
        for index in 0..<4 {
            let path = try await states.download("nightly/shard-\(index)-of-4.sqlite")
            let shard = try await ShardedScanTests.recorded(path)
            merged.chains += shard.chains
            merged.findings.formUnion(shard.findings)
            let state = try SQLiteStateStore(path: path)
            let runs = try await state.runs()
            let findings = try await state.findings(chain: nil)
            await state.close()
            // The import is recorded with the run; the moved accounts' findings were first and last seen by their old shard's run.
            let last = try #require(runs.last)
            #expect(last.request.contains("\"shard\":\"\(index)\\/4\"") && last.request.contains("\"imported\"") == !owned(index).isEmpty, "\(last.request)")
            #expect(findings.allSatisfy { $0.firstSeenRun != last.id && $0.lastSeenRun != last.id && $0.status == .open })
            #expect(Set(findings.map(\.accountID)) == owned(index).intersection(tampered))
        }
        // Every chain in exactly one new state, with both nights' results, as in the unsharded state.
        #expect(merged.chains.sorted() == expected.chains.sorted())
        #expect(merged.findings == expected.findings)

        // The report from the prefix (both layouts there: the earlier one is left out) equals the unsharded one's.
        let period = ["--from", CloudTrailTime.display(Date().addingTimeInterval(-25 * 3600)), "--to", until, "--format", "json"]
        let unsharded = await Run(["report", "--state", whole] + period)
        let sharded = try run(["report", "--state", prefix] + period)
        #expect(unsharded.code == 0 && sharded.code == 0, "\(sharded.standardError)")
        #expect(sharded.standardError.contains("shard-0-of-3.sqlite: left out, not a shard of the newest layout (4 shards)"), "\(sharded.standardError)")
        let expectedReport = try ReportJSON(unsharded.standardOutput)
        let mergedReport = try ReportJSON(sharded.standardOutput)
        mergedReport.expectSameAccountsAndSummary(as: expectedReport)
        // Night 1's three runs, each once however many new states hold it, and those of night 2's
        // four that validated a chain (they started after --to, so a shard with no account is not in the period).
        #expect(mergedReport.runs == 3 + (0..<4).filter { !owned($0).isEmpty }.count, "\(sharded.standardOutput)")

        // Night 3 on four shards resumes as usual; going back to three shards finds a stale state and refuses it.
        let night3 = try run(states.scanArguments(config, state: prefix, until: until, ["--shard", "0/4", "--scan-id", "night-3"]))
        #expect(night3.code == (owned(0).isDisjoint(with: tampered) ? 0 : 1), "\(night3.standardError)")
        let stale = try await states.download("nightly/shard-0-of-3.sqlite")
        let back = try run(states.scanArguments(config, state: prefix, until: until, ["--shard", "0/3", "--scan-id", "night-3"]))
        #expect(back.code == 3 && back.standardError.contains("s3://\(states.bucket)/nightly/shard-0-of-3.sqlite is a stale state of an earlier layout"),
                "\(back.standardError)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: try await states.download("nightly/shard-0-of-3.sqlite"))) == Data(contentsOf: URL(fileURLWithPath: stale)))
        #expect(try await states.client().headObjectETag(bucket: states.bucket, key: "nightly/shard-0-of-3.sqlite.lease") == nil)
    }

    @Test func aShardKilledWithSIGKILLResumesFromItsLastUploadedState() async throws {
        defer { try? FileManager.default.removeItem(at: states.root) }
        let (manifest, config) = try await states.prepare()
        let until = CloudTrailTime.display(Date())
        let chains = manifest.chains.map(\.chain).filter { ShardAssignment.shard(of: $0.accountID, count: 2) == 0 }
        let alone = states.root.appendingPathComponent("alone.sqlite").path
        let uninterrupted = await Run(states.scanArguments(config, state: alone, until: until, ["--shard", "0/2"]))
        #expect([0, 1].contains(uninterrupted.code), "\(uninterrupted.standardError)")
        let expected = try await ScanCrashTests.outcome(alone, chains: chains)

        let arguments = states.scanArguments(config, state: "s3://\(states.bucket)/nightly/", until: until,
                                             ["--shard", "0/2", "--upload-every", "1", "--lease-seconds", "5"])
        let progress = Pipe()
        let killed = try states.start(arguments.filter { $0 != "--quiet" }, standardError: progress)
        let watchdog = DispatchWorkItem { kill(killed.processIdentifier, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 600, execute: watchdog)
        defer { watchdog.cancel() }
        let seen = progress.fileHandleForReading.read(until: "chains 3/")
        kill(killed.processIdentifier, SIGKILL)
        _ = wait(killed)
        _ = PipeDrain(progress.fileHandleForReading).wait()
        #expect(killed.terminationReason == .uncaughtSignal, "\(seen)")
        // The last upload is a whole state: the killed run, still running, with its first chains.
        let left = try SQLiteStateStore(path: try await states.download("nightly/shard-0-of-2.sqlite"))
        let runs = try await left.runs()
        let uploaded = try await left.chainResults(run: try #require(runs.first).id).count
        await left.close()
        #expect(runs.count == 1 && runs.first?.status == .running)
        #expect(uploaded >= 1 && uploaded < chains.count, "\(uploaded) of \(chains.count) chains uploaded")

        // Once the dead task's lease has expired (5 s after its last renewal), the rerun resumes to the uninterrupted result.
        try await Task.sleep(nanoseconds: 6_000_000_000)
        let resumed = try run(arguments)
        #expect(resumed.code == uninterrupted.code, "\(resumed.standardError)")
        #expect(try await ScanCrashTests.outcome(try await states.download("nightly/shard-0-of-2.sqlite"), chains: chains) == expected)
    }

    @Test func twoTasksGivenTheSameShardCannotBothWriteItsState() async throws {
        defer { try? FileManager.default.removeItem(at: states.root) }
        let (manifest, config) = try await states.prepare()
        let until = CloudTrailTime.display(Date())
        let arguments = states.scanArguments(config, state: "s3://\(states.bucket)/nightly/", until: until, ["--shard", "1/2", "--upload-every", "1"])
        let progress = Pipe()
        let first = try states.start(arguments.filter { $0 != "--quiet" }, standardError: progress)
        let watchdog = DispatchWorkItem { kill(first.processIdentifier, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 600, execute: watchdog)
        defer { watchdog.cancel() }
        // Paused once it holds the lease and has recorded a chain.
        let seen = progress.fileHandleForReading.read(until: "chains 1/")
        kill(first.processIdentifier, SIGSTOP)
        let second = try run(arguments)
        kill(first.processIdentifier, SIGCONT)
        let drained = PipeDrain(progress.fileHandleForReading)
        #expect(second.code == 3 && second.standardError.contains("the state is in use: the lease s3://\(states.bucket)/nightly/shard-1-of-2.sqlite.lease is held by"),
                "\(second.standardError)")
        #expect([0, 1].contains(wait(first)), "\(seen)")
        _ = drained.wait()

        // The state is the first task's alone: one run, every chain of the shard once.
        let state = try SQLiteStateStore(path: try await states.download("nightly/shard-1-of-2.sqlite"))
        let runs = try await state.runs()
        #expect(runs.count == 1 && runs[0].status == .complete)
        let recorded = try await state.chainResults(run: runs[0].id).map { "\($0.chain)" }.sorted()
        await state.close()
        let owned = manifest.chains.map(\.chain).filter { ShardAssignment.shard(of: $0.accountID, count: 2) == 1 }.map { "\($0)" }.sorted()
        #expect(!owned.isEmpty && recorded == owned)
    }

    @Test func aLocalStateSplitIntoShardsWithPreviousStatesAndAnUnreadableOneStopsTheScan() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-split-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let organization = try await ShardedScanTests.ArchivedOrganization(root)
        func scan(_ state: String, _ extra: [String]) async -> Run { await organization.scan(state, ["--format", "json"] + extra) }
        #expect(await scan("single.sqlite", []).code == 1)
        let single = try Data(contentsOf: root.appendingPathComponent("single.sqlite"))

        // A single local state split in two: each shard resumes its accounts from it.
        for index in 0..<2 {
            let split = await scan("shard-\(index).sqlite", ["--shard", "\(index)/2", "--previous-states", root.appendingPathComponent("single.sqlite").path])
            #expect([0, 1].contains(split.code), "\(split.standardError)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(split.standardOutput.utf8)) as? [String: Any])
            let totals = json["totals"] as? [String: Int] ?? [:]
            #expect(totals["validDigests"] == 0 && totals["validLogs"] == 0 && totals["chains"] ?? 0 > 0, "\(totals)")
        }
        #expect(try Data(contentsOf: root.appendingPathComponent("single.sqlite")) == single)

        // A previous state that is not one: exit 3, naming it, and nothing scanned.
        let broken = root.appendingPathComponent("broken.sqlite")
        try Data("not a state".utf8).write(to: broken)
        let refused = await scan("shard-9.sqlite", ["--shard", "1/3", "--previous-states", broken.path])
        #expect(refused.code == 3 && refused.standardError.contains("previous state \(broken.path): cannot be read"), "\(refused.standardError)")
        #expect(refused.standardOutput.isEmpty)
        #expect(try Data(contentsOf: broken) == Data("not a state".utf8))

        // An S3 location without a bucket is a usage error, before any state is created.
        let usage = await scan("shard-8.sqlite", ["--shard", "1/3", "--previous-states", "s3:///nightly/"])
        #expect(usage.code == 2 && usage.standardError.contains("--previous-states s3:///nightly/: s3:///nightly/ names no bucket"), "\(usage.standardError)")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("shard-8.sqlite").path))
    }
}
