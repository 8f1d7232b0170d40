import Foundation
import Testing
import TrailWardenCore
import TrailWardenStorage
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

/// A clock that returns the given seconds in turn (for throttling, without waiting).
final class TimeSource: @unchecked Sendable {
    var values: [Double] = []
    func next() -> Date { Date(timeIntervalSince1970: values.isEmpty ? 0 : values.removeFirst()) }
}
