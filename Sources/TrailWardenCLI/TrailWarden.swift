import Foundation
import TrailWardenCore
import TrailWardenStorage
import TrailWardenVocabulary

/// The `trailwarden` command line: dispatches to a subcommand and turns
/// errors into one clear line and a documented exit code.
public enum TrailWarden {
    static let table = CommandTable(commands: [
        ValidateCommand.descriptor, ScanCommand.descriptor, ReportCommand.descriptor, AlarmTestCommand.descriptor,
        SimulateCommand.descriptor, DemoCommand.descriptor, VersionCommand.descriptor, CompletionCommand.descriptor, ManCommand.descriptor,
    ])

    public static func main(_ arguments: [String], output: any OutputSink) async -> Int32 {
        defer { output.flush() }
        guard let first = arguments.first else {
            output.out(HelpText.overview(table))
            return ExitCode.usage.rawValue
        }
        if ["-h", "--help"].contains(first) {
            output.out(HelpText.overview(table))
            return ExitCode.intact.rawValue
        }
        if first == "--version" { return await run(command: VersionCommand.descriptor, arguments: [], output: output).rawValue }
        if first == "help" { return help(Array(arguments.dropFirst()), output: output).rawValue }
        switch table.lookup(arguments) {
        case .command(let command, let rest):
            // Before `--` only: after it, `--help` is an argument like any other.
            if rest.prefix(while: { $0 != "--" }).contains(where: { ["-h", "--help"].contains($0) }) {
                output.out(HelpText.command(command))
                return ExitCode.intact.rawValue
            }
            return await run(command: command, arguments: rest, output: output).rawValue
        case .group(let group, let rest):
            // A bare group prints its subcommands, like a bare `trailwarden`: exit 0 when asked for, 2 when not.
            guard rest.isEmpty || ["-h", "--help"].contains(rest[0]) else {
                return unknown("\(group) \(rest[0])", suggestion: nil, output: output).rawValue
            }
            output.out(HelpText.group(group, table))
            return rest.isEmpty ? ExitCode.usage.rawValue : ExitCode.intact.rawValue
        case .unknown(let asked, let suggestion):
            return unknown(asked, suggestion: suggestion, output: output).rawValue
        }
    }

    /// `trailwarden help [COMMAND]`.
    static func help(_ words: [String], output: any OutputSink) -> ExitCode {
        guard !words.isEmpty else {
            output.out(HelpText.overview(table))
            return .intact
        }
        switch table.lookup(words) {
        case .command(let command, let rest) where rest.isEmpty:
            output.out(HelpText.command(command))
        case .group(let group, let rest) where rest.isEmpty:
            output.out(HelpText.group(group, table))
        case .unknown(let asked, let suggestion):
            return unknown(asked, suggestion: suggestion, output: output)
        default:
            return unknown(words.joined(separator: " "), suggestion: nil, output: output)
        }
        return .intact
    }

    static func unknown(_ asked: String, suggestion: String?, output: any OutputSink) -> ExitCode {
        let guess = suggestion.map { " (did you mean \"\($0)\"?)" } ?? ""
        output.err("trailwarden: error: unknown command \"\(asked)\"\(guess); commands: \(table.commands.map(\.name).joined(separator: ", "))\n")
        return .usage
    }

    static func run(command: CommandDescriptor, arguments: [String], output: any OutputSink) async -> ExitCode {
        do {
            let parsed = try ArgumentParser.parse(arguments, options: command.options, positional: command.positional)
            return try await command.run(parsed, output)
        } catch let reported as AlreadyReported {
            return reported.code
        } catch {
            let (message, code) = describe(error)
            output.err("trailwarden \(command.name): error: \(message)\n")
            return code
        }
    }

    /// A command's failure as one line and its exit code.
    static func describe(_ error: any Error) -> (message: String, code: ExitCode) {
        switch error {
        case let error as UsageError: return (error.description, .usage)
        case is CancellationError: return ("interrupted: work in flight was abandoned and nothing unfinished was recorded", .incomplete)
        case let error as PublicKeyList.DecodingError: return (error.description, .usage)
        // Store, key source, AWS, HTTP and credential failures: each describes itself in one line.
        default: return (String(describing: error), .incomplete)
        }
    }
}

/// A failure the command has already written in its own format (`scan --log-format json`).
struct AlreadyReported: Error {
    var code: ExitCode
}
