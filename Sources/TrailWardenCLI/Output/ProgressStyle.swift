import Foundation

/// How progress appears on standard error, decided once per run from where
/// standard error goes and what the environment asks for.
enum ProgressStyle: Equatable, Sendable {
    /// A terminal that understands escape codes: one line rewritten in place.
    case rewrite
    /// A terminal asked for no escape codes (`TERM=dumb`, `NO_COLOR`): the line is
    /// rewritten with a carriage return and spaces only.
    case carriageReturn
    /// Not a terminal (a log file, a pipe): plain lines, no control characters.
    case lines
    /// `--log-format json`: one JSON object a line (docs/cli.md).
    case json

    /// The style for the standard error `output` writes to, as this process finds it.
    static func forStandardError(of output: any OutputSink,
                                 environment: [String: String] = ProcessInfo.processInfo.environment) -> ProgressStyle {
        detect(environment: environment, isTerminal: output.standardErrorIsTerminal)
    }

    /// `NO_COLOR` counts when set to anything non-empty (no-color.org).
    static func detect(environment: [String: String], isTerminal: Bool) -> ProgressStyle {
        guard isTerminal else { return .lines }
        if environment["TERM"] == "dumb" || !(environment["NO_COLOR"] ?? "").isEmpty { return .carriageReturn }
        return .rewrite
    }

    var isTerminal: Bool { self == .rewrite || self == .carriageReturn }
}
