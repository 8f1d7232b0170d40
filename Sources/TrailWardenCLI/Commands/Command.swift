/// A `trailwarden` subcommand: its name, help and options, and how it runs.
protocol Command: Sendable {
    static var name: String { get }
    static var summary: String { get }
    static var options: [OptionSpec] { get }
    static func run(_ arguments: ParsedArguments, output: any OutputSink) async throws -> ExitCode
}

/// A command as a value, so the dispatcher needs no existential metatypes.
struct CommandDescriptor: Sendable {
    var name: String
    var summary: String
    var options: [OptionSpec]
    var run: @Sendable (ParsedArguments, any OutputSink) async throws -> ExitCode
}

extension Command {
    static var descriptor: CommandDescriptor {
        CommandDescriptor(name: name, summary: summary, options: options, run: { try await run($0, output: $1) })
    }
}
