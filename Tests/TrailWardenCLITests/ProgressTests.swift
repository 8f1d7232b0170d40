import Foundation
import Testing
import TrailWardenCore
import TrailWardenStorage
import TrailWardenTestSupport
@testable import TrailWardenCLI

/// Progress on standard error: in place on a terminal, without escape codes
/// for TERM=dumb or NO_COLOR, plain lines (or none, for validate) elsewhere.
@Suite struct ProgressTests {
    @Test func theStyleFollowsTheTerminalAndTheEnvironment() {
        #expect(ProgressStyle.detect(environment: ["TERM": "xterm-256color"], isTerminal: true) == .rewrite)
        #expect(ProgressStyle.detect(environment: ["TERM": "dumb"], isTerminal: true) == .carriageReturn)
        #expect(ProgressStyle.detect(environment: ["TERM": "xterm", "NO_COLOR": "1"], isTerminal: true) == .carriageReturn)
        #expect(ProgressStyle.detect(environment: ["TERM": "xterm", "NO_COLOR": ""], isTerminal: true) == .rewrite)
        #expect(ProgressStyle.detect(environment: ["TERM": "xterm"], isTerminal: false) == .lines)
        #expect(ProgressStyle.forStandardError(of: CapturedOutput(), environment: ["TERM": "xterm"]) == .lines)
    }

    func written(_ style: ProgressStyle) -> String {
        let output = CapturedOutput()
        let progress = ProgressReporter(output: output, style: style, quiet: false)
        progress.line("chains 1/2")
        progress.line("chain 2")
        progress.permanent("INVALID x")
        progress.line("done")
        progress.finish()
        return output.standardError
    }

    @Test func eachStyleWritesWhatItPromises() {
        #expect(written(.rewrite) == "\r\u{1B}[2Kchains 1/2\r\u{1B}[2Kchain 2\r\u{1B}[2KINVALID x\n\r\u{1B}[2Kdone\r\u{1B}[2K")
        let plain = written(.carriageReturn)
        #expect(!plain.contains("\u{1B}"))
        #expect(plain == "\rchains 1/2\rchain 2   \r       \rINVALID x\n\rdone\r    \r")
        #expect(written(.lines) == "chains 1/2\nchain 2\nINVALID x\ndone\n")
    }

    @Test func validateDrawsOnATerminalAtMostFiveTimesASecondAndNeverElsewhere() {
        let location = ObjectLocation(bucket: "b", key: "k")
        let times = TimeSource()
        let terminal = CapturedOutput()
        let progress = ValidationProgress(output: terminal, style: .carriageReturn, clock: { times.next() })
        times.values = [0, 0.1, 0.3, 0.35]
        progress.observe(.logValid(location))
        progress.observe(.logValid(location))
        progress.observe(.logInvalid(location, .notFound))
        progress.observe(.logValid(location))
        progress.finish()
        #expect(terminal.standardError.hasPrefix("\rvalidating: 0 digest files, 1 log files checked, 0 findings"
                                                 + "\rvalidating: 0 digest files, 3 log files checked, 1 findings\r"))
        let piped = CapturedOutput()
        let quiet = ValidationProgress(output: piped, style: .lines)
        quiet.observe(.logValid(location))
        quiet.finish()
        #expect(piped.standardError.isEmpty)
    }
}

/// The real binary's `validate` on a pseudo-terminal (util-linux `script`), on a pipe, and with escape codes turned off.
@Suite struct TerminalProgressTests {
    static var scriptInstalled: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/script") }

    /// What `validate` wrote, standard output and error together, when run on a terminal with `environment`.
    func onATerminal(_ arguments: [String], _ environment: [String: String]) throws -> String {
        let command = ([Processes.trailwarden] + arguments).map(ShellWords.bashQuoted).joined(separator: " ")
        var merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        merged["SHELL"] = "/bin/sh"
        if environment["NO_COLOR"] == nil { merged["NO_COLOR"] = nil }
        let result = try Processes.run("script", ["-qec", command, "/dev/null"], environment: merged)
        #expect(result.code == 0, "\(result.standardOutput)")
        return result.standardOutput
    }

    @Test(.enabled(if: scriptInstalled)) func validateShowsProgressOnlyOnATerminalAndEscapesOnlyWhereAllowed() async throws {
        let world = try await SimulatedWorld(["--accounts", "1", "--regions", "us-east-1", "--hours", "12", "--logs-per-digest", "1"])
        defer { world.remove() }
        let chain = try #require(world.manifest.chains.first)
        let arguments = ["validate"] + world.validateArguments(chain, start: world.manifest.start, end: world.manifest.end)

        let capable = try onATerminal(arguments, ["TERM": "xterm"])
        #expect(capable.contains("\r\u{1B}[2Kvalidating: "))
        for environment in [["TERM": "dumb"], ["TERM": "xterm", "NO_COLOR": "1"]] {
            let plain = try onATerminal(arguments, environment)
            #expect(plain.contains("\rvalidating: "), "\(environment)")
            #expect(!plain.contains("\u{1B}"), "\(environment)")
        }
        let piped = try await trailwardenBinary(arguments)
        #expect(piped.code == 0)
        #expect(!piped.standardError.contains("validating"))
        #expect(!piped.standardError.contains("\u{1B}") && !piped.standardError.contains("\r"))
    }
}

/// A clock that returns the given seconds in turn (for throttling, without waiting).
final class TimeSource: @unchecked Sendable {
    var values: [Double] = []
    func next() -> Date { Date(timeIntervalSince1970: values.isEmpty ? 0 : values.removeFirst()) }
}
