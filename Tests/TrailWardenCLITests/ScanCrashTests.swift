import Foundation
import Testing
import TrailWardenCore
import TrailWardenSimulation
import TrailWardenState
import TrailWardenTestSupport
@testable import TrailWardenCLI
import TrailWardenVocabulary

/// Crash safety: `trailwarden scan` killed with SIGKILL at several points, or
/// stopped with SIGTERM or SIGINT, and run again ends with the same state as an
/// uninterrupted scan: the same findings, the same checkpoints, and every
/// digest and log file counted exactly once across the runs.
@Suite(.serialized) struct ScanCrashTests {
    /// What a state holds once scanning is done, whatever the runs were.
    struct Outcome: Equatable {
        var findings: Set<String>
        var checkpoints: [String]
        var digests: Int
        var logs: Int
        var invalid: Int
    }

    static func outcome(_ statePath: String, chains: [DigestChain]) async throws -> Outcome {
        let state = try SQLiteStateStore(path: statePath)
        var outcome = Outcome(findings: [], checkpoints: [], digests: 0, logs: 0, invalid: 0)
        for finding in try await state.findings(chain: nil) {
            outcome.findings.insert("\(finding.accountID) \(finding.chain.map { "\($0)" } ?? "trail") \(finding.kind) \(finding.object)")
        }
        for chain in chains {
            outcome.checkpoints.append(try await state.checkpoint(for: chain)?.digestKey ?? "none")
        }
        for run in try await state.runs() {
            for result in try await state.chainResults(run: run.id) {
                let tally = result.tally
                outcome.digests += tally.validDigests + tally.validBackfillDigests
                outcome.logs += tally.validLogs
                outcome.invalid += tally.invalidDigests + tally.invalidBackfillDigests + tally.invalidLogs
            }
        }
        await state.close()
        return outcome
    }

    @Test func aKilledScanResumesToTheSameResultAsAnUninterruptedOne() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-crash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let spec = WorldSpec(accounts: 3, regions: ["us-east-1", "eu-west-1"], hours: 48, logsPerDigest: 20, organizationID: "o-crash12345",
                             tampers: [.digestDelete, .logModify, .linkBreak, .logInject], seed: 3, start: Date().addingTimeInterval(-50 * 3600))
        let world = try WorldFiles.build(spec)
        try await WorldFiles.write(world, to: root)
        let keys = root.appendingPathComponent(WorldManifest.publicKeysFileName).path
        let chains = world.manifest.chains.map(\.chain)

        // One end for every run, so that each covers the same range however slow the machine is.
        let until = CloudTrailTime.display(Date().addingTimeInterval(3600))
        func scan(_ state: String, progress: Pipe? = nil) throws -> Process {
            let config = root.appendingPathComponent("config-\(UUID().uuidString).json")
            // One chain at a time, so that a kill lands between chains as often as within one.
            var json = try JSONSerialization.jsonObject(with: DemoCommand.configurationText(world.manifest, state: state)) as? [String: Any] ?? [:]
            json["limits"] = ["accountsInParallel": 1]
            try JSONSerialization.data(withJSONObject: json).write(to: config)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Processes.trailwarden)
            process.arguments = ["scan", "--config", config.path, "--store", "file://" + root.path, "--public-keys", keys, "--until", until]
                + (progress == nil ? ["--quiet"] : [])
            process.standardOutput = FileHandle.nullDevice
            process.standardError = progress ?? FileHandle.nullDevice
            try process.run()
            return process
        }

        let uninterrupted = root.appendingPathComponent("uninterrupted.sqlite").path
        let started = Date()
        let whole = try scan(uninterrupted)
        whole.waitUntilExit()
        #expect(whole.terminationStatus == 1)
        let duration = Date().timeIntervalSince(started)
        let expected = try await Self.outcome(uninterrupted, chains: chains)
        #expect(expected.findings.count == world.manifest.chains.map(\.expectedFindings.count).reduce(0, +))
        #expect(!expected.checkpoints.contains("none"))

        // Killed early, midway and late (as fractions of an uninterrupted run), then scanned again to the end.
        var interruptedMidway = 0
        for fraction in [0.1, 0.3, 0.5, 0.7, 0.9] {
            let state = root.appendingPathComponent("crash-\(fraction).sqlite").path
            let killed = try scan(state)
            try await Task.sleep(nanoseconds: UInt64(duration * fraction * 1e9))
            kill(killed.processIdentifier, SIGKILL)
            killed.waitUntilExit()
            let resumed = try scan(state)
            resumed.waitUntilExit()
            #expect([0, 1].contains(resumed.terminationStatus))
            #expect(try await Self.outcome(state, chains: chains) == expected, "killed after \(fraction) of a run")
            // The killed run, if it got that far, is the first one; how much of it was recorded?
            if killed.terminationReason == .uncaughtSignal {
                let recorded = try SQLiteStateStore(path: state)
                let runs = try await recorded.runs()
                if runs.count == 2, runs[0].status == .running {
                    let chainsRecorded = try await recorded.chainResults(run: runs[0].id).count
                    if chainsRecorded > 0, chainsRecorded < chains.count { interruptedMidway += 1 }
                }
                await recorded.close()
            }
        }
        // The property holds wherever the kill lands; this checks that some kills landed between recorded chains.
        #expect(interruptedMidway >= 1)

        // SIGTERM and SIGINT once the first chain is done: the run is marked interrupted, the exit
        // status is 128 + the signal, and the next scan ends where an uninterrupted one does.
        for (signalNumber, status) in [(SIGTERM, Int32(143)), (SIGINT, Int32(130))] {
            let state = root.appendingPathComponent("signal-\(signalNumber).sqlite").path
            let progress = Pipe()
            let interrupted = try scan(state, progress: progress)
            let lines = progress.fileHandleForReading
            let seen = lines.read(until: "chains 1/")
            kill(interrupted.processIdentifier, signalNumber)
            let rest = PipeDrain(lines)
            interrupted.waitUntilExit()
            let message = seen + String(decoding: rest.wait(), as: UTF8.self)
            #expect(interrupted.terminationReason == .exit && interrupted.terminationStatus == status, "\(message)")
            let recorded = try SQLiteStateStore(path: state)
            let runs = try await recorded.runs()
            #expect(runs.map(\.status) == [.interrupted], "signal \(signalNumber)")
            if let run = runs.first {
                #expect(try await recorded.chainResults(run: run.id).count < chains.count)
            }
            await recorded.close()
            let resumed = try scan(state)
            resumed.waitUntilExit()
            #expect([0, 1].contains(resumed.terminationStatus))
            #expect(try await Self.outcome(state, chains: chains) == expected, "interrupted by signal \(signalNumber)")
        }
    }
}
