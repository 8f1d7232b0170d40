import Foundation
import Testing
import TrailWardenTestSupport

/// Issue 10 "Output": where `report --output` and standard output go, and how
/// their failures end, run through the real binary.
@Suite(.serialized) struct OutputFileTests {
    /// A scanned archive's state and the report's JSON as written to a plain file, made once.
    static let fixture = Task { () async throws -> (world: ArchiveScanWorld, json: String) in
        let world = try await ArchiveScanWorld(tamper: "log-modify")
        _ = try await world.scan()
        let file = world.folder.appendingPathComponent("plain.json").path
        let run = try await world.report(["--output", file])
        guard run.code == 0 else { throw FaultSetupFailed("report: \(run.standardError)") }
        return (world, try String(contentsOfFile: file, encoding: .utf8))
    }

    /// The report without the moment it was made.
    private func stable(_ report: String) -> String {
        report.replacing(#/"generatedAt"\s*:\s*"[^"]*"/#, with: "")
    }

    /// The binary run by bash (for redirections and a working folder), with its output.
    private func shell(_ script: String, in folder: URL) throws -> ProcessResult {
        try Processes.run("bash", ["-c", "cd \"$0\" && " + script, folder.path],
                          environment: ProcessInfo.processInfo.environment.merging(["TW": Processes.trailwarden]) { $1 })
    }

    @Test func devStdoutIsWrittenThroughAndKept() async throws {
        let (world, json) = try await Self.fixture.value
        let run = try await world.report(["--output", "/dev/stdout", "--format", "json"])
        #expect(run.code == 0, "\(run.standardError)")
        #expect(stable(run.standardOutput) == stable(json))
        let kind = try FileManager.default.attributesOfItem(atPath: "/dev/stdout")[.type] as? FileAttributeType
        #expect(kind == .typeSymbolicLink)
    }

    @Test func aLinkToAFileReplacesTheTargetAndKeepsTheLink() async throws {
        let (world, json) = try await Self.fixture.value
        let target = world.folder.appendingPathComponent("target.json").path
        let link = world.folder.appendingPathComponent("link-\(UUID().uuidString).json").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "target.json")
        let run = try await world.report(["--output", link])
        #expect(run.code == 0, "\(run.standardError)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "target.json")
        #expect(stable(try String(contentsOfFile: target, encoding: .utf8)) == stable(json))
    }

    @Test func aFIFOIsWrittenThroughToItsReader() async throws {
        let (world, json) = try await Self.fixture.value
        let folder = world.folder
        let result = try shell("mkfifo fifo && { cat fifo > received & } && \"$TW\" report --state \(world.state) --format json --output fifo "
                               + "&& wait && test -p fifo", in: folder)
        #expect(result.code == 0, "\(result.standardError)")
        #expect(stable(try String(contentsOf: folder.appendingPathComponent("received"), encoding: .utf8)) == stable(json))
        try? FileManager.default.removeItem(at: folder.appendingPathComponent("fifo"))
    }

    @Test func aFIFOWithoutAReaderIsAnErrorNotAWait() async throws {
        let (world, _) = try await Self.fixture.value
        let result = try shell("rm -f lonely && mkfifo lonely && \"$TW\" report --state \(world.state) --format json --output lonely", in: world.folder)
        #expect(result.code == 3)
        #expect(result.standardError.split(separator: "\n").count == 1)
        #expect(result.standardError.contains("lonely") && result.standardError.contains("nothing is reading"))
    }

    @Test func dashIsStandardOutput() async throws {
        let (world, json) = try await Self.fixture.value
        let result = try shell("\"$TW\" report --state \(world.state) --format json --output - && test ! -e ./-", in: world.folder)
        #expect(result.code == 0, "\(result.standardError)")
        #expect(stable(result.standardOutput) == stable(json))
    }

    @Test func aFullDiskIsOneLineAndExit3() async throws {
        let (world, _) = try await Self.fixture.value
        let file = try await world.report(["--output", "/dev/full", "--format", "json"])
        #expect(file.code == 3)
        #expect(file.standardError == "trailwarden report: error: --output /dev/full: cannot write the report: No space left on device\n")
        let stdout = try shell("\"$TW\" report --state \(world.state) --format json > /dev/full", in: world.folder)
        #expect(stdout.code == 3)
        #expect(stdout.standardError == "trailwarden: error: cannot write to standard output: No space left on device\n")
    }

    @Test func aClosedPipeIsOneLineAndExit3() async throws {
        let (world, _) = try await Self.fixture.value
        // The pipe's reading end is closed before the binary starts, so every write fails with EPIPE.
        let script = """
        import os, subprocess, sys
        r, w = os.pipe()
        os.close(r)
        run = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)
        sys.stdout.write(f"{run.returncode}\\n" + run.stderr.decode())
        """
        let result = try Processes.run("python3", ["-c", script, Processes.trailwarden, "report", "--state", world.state, "--format", "json"])
        #expect(result.standardOutput == "3\ntrailwarden: error: cannot write to standard output: Broken pipe\n")
    }
}
