/// `trailwarden man`: the manual page in roff (install: docs/setup.md).
enum ManCommand: Command {
    static let name = "man"
    static let summary = "Print the manual page (roff): trailwarden man > trailwarden.1."
    static let options: [OptionSpec] = []

    static func run(_ arguments: ParsedArguments, output: any OutputSink) async throws -> ExitCode {
        output.out(ManPage.roff(TrailWarden.table))
        return .intact
    }
}
