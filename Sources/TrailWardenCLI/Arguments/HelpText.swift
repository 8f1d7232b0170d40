import TrailWardenVocabulary

/// The help `trailwarden`, `help COMMAND` and `COMMAND --help` print; the man
/// page is made from the same words.
enum HelpText {
    static let tagline = "prove that CloudTrail logs were never altered"

    static func overview(_ table: CommandTable) -> String {
        var text = "trailwarden \(TrailWardenVersion.current): \(tagline).\n\nUsage: trailwarden COMMAND [OPTIONS]\n\nCommands:\n"
        text += rows(table.commands.map { ($0.name, $0.summary) } + [("help", "Show the help of a command: trailwarden help COMMAND.")])
        return text + "\nRun `trailwarden help COMMAND` (or `trailwarden COMMAND --help`) for a command's options; `--` ends the options.\n"
    }

    static func command(_ command: CommandDescriptor) -> String {
        var text = "Usage: trailwarden \(synopsis(command))\n\n\(command.summary)\n"
        if let positional = command.positional {
            text += "\nArguments:\n" + rows([(positional.name, positional.help)]) + "\n"
        }
        if !command.options.isEmpty { text += "\nOptions:\n\(ArgumentParser.help(command.options))\n" }
        return text
    }

    static func group(_ name: String, _ table: CommandTable) -> String {
        let members = table.members(of: name)
        return "Usage: trailwarden \(name) SUBCOMMAND [OPTIONS]\n\nSubcommands:\n"
            + rows(members.map { ($0.words.dropFirst().joined(separator: " "), $0.summary) })
            + "\nRun `trailwarden help \(name) SUBCOMMAND` for a subcommand's options.\n"
    }

    /// `validate [OPTIONS]`, `completion SHELL`.
    static func synopsis(_ command: CommandDescriptor) -> String {
        command.name + (command.options.isEmpty ? "" : " [OPTIONS]") + (command.positional.map { " " + $0.name } ?? "")
    }

    private static func rows(_ rows: [(String, String)]) -> String {
        let width = max(12, (rows.map(\.0.count).max() ?? 0) + 2)
        return rows.map { "  " + $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + $0.1 + "\n" }.joined()
    }
}
