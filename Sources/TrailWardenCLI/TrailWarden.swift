import Foundation
import TrailWardenCore
import TrailWardenStorage

/// The `trailwarden` command line: dispatches to a subcommand and turns
/// errors into one clear line and a documented exit code.
public enum TrailWarden {
    static let commands = [ValidateCommand.descriptor, ScanCommand.descriptor, ReportCommand.descriptor, AlarmTestCommand.descriptor,
                           SimulateCommand.descriptor, DemoCommand.descriptor]

    public static func main(_ arguments: [String], output: any OutputSink) async -> Int32 {
        defer { output.flush() }
        guard let first = arguments.first, !["-h", "--help", "help"].contains(first) else {
            output.out(help())
            return arguments.isEmpty ? ExitCode.usage.rawValue : ExitCode.intact.rawValue
        }
        // A command's name may be several words ("alarm test").
        guard let command = commands.first(where: { arguments.starts(with: $0.name.split(separator: " ").map(String.init)) }) else {
            let group = commands.contains { $0.name.hasPrefix(first + " ") }
            let asked = arguments.prefix(group ? 2 : 1).joined(separator: " ")
            output.err("trailwarden: error: unknown command \"\(asked)\"; commands: \(commands.map(\.name).joined(separator: ", "))\n")
            return ExitCode.usage.rawValue
        }
        let rest = Array(arguments.dropFirst(command.name.split(separator: " ").count))
        if rest.contains("--help") || rest.contains("-h") {
            output.out(help(for: command))
            return ExitCode.intact.rawValue
        }
        return await run(command: command, arguments: rest, output: output).rawValue
    }

    static func run(command: CommandDescriptor, arguments: [String], output: any OutputSink) async -> ExitCode {
        func fail(_ message: String, _ code: ExitCode) -> ExitCode {
            output.err("trailwarden \(command.name): error: \(message)\n")
            return code
        }
        do {
            let parsed = try ArgumentParser.parse(arguments, options: command.options)
            return try await command.run(parsed, output)
        } catch let error as UsageError {
            return fail(error.description, .usage)
        } catch is CancellationError {
            return fail("interrupted: work in flight was abandoned and nothing unfinished was recorded", .incomplete)
        } catch let error as PublicKeyList.DecodingError {
            return fail(error.description, .usage)
        } catch {
            // Store, key source, AWS, HTTP and credential failures: each describes itself in one line.
            return fail(String(describing: error), .incomplete)
        }
    }

    static func help() -> String {
        var text = "trailwarden: prove that CloudTrail logs were never altered.\n\nUsage: trailwarden COMMAND [OPTIONS]\n\nCommands:\n"
        for command in commands {
            text += "  " + command.name.padding(toLength: 12, withPad: " ", startingAt: 0) + command.summary + "\n"
        }
        return text + "\nRun `trailwarden COMMAND --help` for a command's options.\n"
    }

    static func help(for command: CommandDescriptor) -> String {
        "Usage: trailwarden \(command.name) [OPTIONS]\n\n\(command.summary)\n\nOptions:\n\(ArgumentParser.help(command.options))\n"
    }
}
