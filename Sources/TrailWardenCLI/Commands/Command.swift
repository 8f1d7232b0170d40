/// A `trailwarden` subcommand: its name, help and options, and how it runs.
protocol Command: Sendable {
    static var name: String { get }
    static var summary: String { get }
    static var options: [OptionSpec] { get }
    /// The one positional argument it takes, if any (most take none).
    static var positional: PositionalSpec? { get }
    static func run(_ arguments: ParsedArguments, output: any OutputSink) async throws -> ExitCode
}

/// A command as a value, so the dispatcher needs no existential metatypes.
struct CommandDescriptor: Sendable {
    var name: String
    var summary: String
    var options: [OptionSpec]
    var positional: PositionalSpec?
    var run: @Sendable (ParsedArguments, any OutputSink) async throws -> ExitCode

    /// The words that name it (`["alarm", "test"]`).
    var words: [String] { name.split(separator: " ").map(String.init) }
    /// The group it belongs to (`alarm`), nil for a top-level command.
    var group: String? { words.count > 1 ? words[0] : nil }
}

extension Command {
    static var positional: PositionalSpec? { nil }

    static var descriptor: CommandDescriptor {
        CommandDescriptor(name: name, summary: summary, options: options, positional: positional, run: { try await run($0, output: $1) })
    }
}
