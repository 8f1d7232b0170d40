/// `trailwarden completion SHELL`: a completion script generated from the same
/// option tables the parser uses.
enum CompletionCommand: Command {
    static let name = "completion"
    static let summary = "Print a shell completion script: bash, zsh or fish (see docs/setup.md)."
    static let options: [OptionSpec] = []
    static let positional: PositionalSpec? = PositionalSpec(name: "SHELL", help: "bash, zsh or fish.", choices: ["bash", "zsh", "fish"])

    static func run(_ arguments: ParsedArguments, output: any OutputSink) async throws -> ExitCode {
        switch arguments.positionals.first {
        case "zsh": output.out(ZshCompletion.script(TrailWarden.table))
        case "fish": output.out(FishCompletion.script(TrailWarden.table))
        default: output.out(BashCompletion.script(TrailWarden.table))
        }
        return .intact
    }
}
