import Foundation
import Testing
import TrailWardenTestSupport
@testable import TrailWardenCLI

/// `--config -`, `--public-keys -`, `/dev/stdin` and `<(…)`: inputs from pipes,
/// through the real binary under bash, as a user types them.
@Suite struct PipedInputTests {
    /// Runs `trailwarden ARGUMENTS` in bash with `feed` piped to its standard input;
    /// in the arguments, `KEYS_SUBSTITUTION` becomes `<(cat FEED)`.
    func piped(_ feed: String, _ arguments: [String]) throws -> Run {
        let words = arguments.map { $0 == "KEYS_SUBSTITUTION" ? "<(cat \"$1\")" : ShellWords.bashQuoted($0) }.joined(separator: " ")
        let result = try Processes.run("bash", ["-c", "cat \"$1\" | \"$2\" \(words)", "bash", feed, Processes.trailwarden])
        return Run(code: result.code, standardOutput: result.standardOutput, standardError: result.standardError)
    }

    @Test func validateReadsPublicKeysFromAPipeStdinOrASubstitution() async throws {
        let world = try await SimulatedWorld(["--accounts", "1", "--regions", "us-east-1", "--hours", "12", "--logs-per-digest", "1"])
        defer { world.remove() }
        let chain = try #require(world.manifest.chains.first)
        let arguments = ["validate"] + world.validateArguments(chain, start: world.manifest.start, end: world.manifest.end)
        let fromFile = try await trailwardenBinary(arguments)
        #expect(fromFile.code == 0, "\(fromFile.standardError)")
        for keys in ["-", "/dev/stdin", "KEYS_SUBSTITUTION"] {
            let run = try piped(world.keysFile, arguments.map { $0 == world.keysFile ? keys : $0 })
            #expect(run.code == 0, "\(keys): \(run.standardError)")
            #expect(run.standardOutput == fromFile.standardOutput, "\(keys)")
        }
    }

    @Test func scanReadsItsConfigurationFromAPipe() async throws {
        let world = try await ArchiveScanWorld(tamper: "log-modify")
        defer { world.remove() }
        let run = try piped(world.config.path, ["scan", "--config", "-", "--store", "file://" + world.world.root.path,
                                                "--public-keys", world.world.keysFile, "--quiet", "--format", "json"])
        #expect(run.code == 1, "\(run.standardError)")
        let findings = try ScanJSON(run).findings
        #expect(findings == world.expectedFindings)
    }

    @Test func standardInputIsReadOnce() async {
        let run = await Run(["scan", "--config", "-", "--store", "file:///nonexistent", "--public-keys", "-"])
        #expect(run.code == 2)
        #expect(run.standardError == "trailwarden scan: error: only one option can read standard input (-): --config and --public-keys\n")
    }

    /// The usage error `body` throws, as its one line.
    func failure(_ body: () throws -> Data) -> String? {
        do {
            _ = try body()
            return nil
        } catch {
            return (error as? UsageError)?.description ?? "not a usage error: \(error)"
        }
    }

    @Test func unreadableInputsNameTheOption() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tw-input-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(failure { try InputFile.read("/nonexistent/a.json", option: "config") } == "--config /nonexistent/a.json: no such file")
        #expect(failure { try InputFile.read(folder.path, option: "config") } == "--config \(folder.path): is a directory, not a file")
        let big = folder.appendingPathComponent("big.json")
        try Data(repeating: 0x20, count: (1 << 20) + 1).write(to: big)
        #expect(failure { try InputFile.read(big.path, option: "public-keys", limit: 1 << 20) }
                == "--public-keys \(big.path): larger than 1 MiB; is this the right file?")
        let exact = folder.appendingPathComponent("exact.json")
        try Data(repeating: 0x20, count: 1 << 20).write(to: exact)
        #expect(try InputFile.read(exact.path, option: "public-keys", limit: 1 << 20).count == 1 << 20)
    }
}
