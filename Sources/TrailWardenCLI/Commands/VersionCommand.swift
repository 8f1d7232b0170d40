import TrailWardenVocabulary

/// `trailwarden version` (and `--version`): which validator this is, as every report records it.
enum VersionCommand: Command {
    static let name = "version"
    static let summary = "Print this build's version: trailwarden VERSION."
    static let options: [OptionSpec] = []

    static func run(_ arguments: ParsedArguments, output: any OutputSink) async throws -> ExitCode {
        output.out("trailwarden \(TrailWardenVersion.current)\n")
        return .intact
    }
}
