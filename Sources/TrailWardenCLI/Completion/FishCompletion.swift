/// `trailwarden completion fish`: `complete` lines generated from the command table.
enum FishCompletion {
    static func script(_ table: CommandTable) -> String {
        var lines = [
            "# fish completion for trailwarden \(ShellWords.versionLine)",
            "# Install: trailwarden completion fish > ~/.config/fish/completions/trailwarden.fish",
            "complete -c trailwarden -f",
        ]
        let first = table.firstWords.map(ShellWords.fishQuoted).joined(separator: " ")
        let atTop = "not __fish_seen_subcommand_from \(first)"
        for command in table.commands where command.group == nil {
            lines.append("complete -c trailwarden -n \(ShellWords.fishQuoted(atTop)) -a \(command.name) -d \(ShellWords.fishQuoted(command.summary))")
        }
        for group in table.groups {
            lines.append("complete -c trailwarden -n \(ShellWords.fishQuoted(atTop)) -a \(group) -d \(ShellWords.fishQuoted("The \(group) commands."))")
        }
        lines.append("complete -c trailwarden -n \(ShellWords.fishQuoted(atTop)) -a help -d 'Show the help of a command.'")
        let helpTarget = "__fish_seen_subcommand_from help; and test (count (commandline -opc)) -eq 2"
        lines.append("complete -c trailwarden -n \(ShellWords.fishQuoted(helpTarget)) -a \(ShellWords.fishQuoted(table.firstWords.dropLast().joined(separator: " ")))")
        for group in table.groups {
            let members = table.members(of: group)
            let inGroup = "__fish_seen_subcommand_from \(group); and not __fish_seen_subcommand_from \(members.map { $0.words[1] }.joined(separator: " "))"
            for member in members {
                lines.append("complete -c trailwarden -n \(ShellWords.fishQuoted(inGroup)) -a \(member.words[1]) -d \(ShellWords.fishQuoted(member.summary))")
            }
        }
        for command in table.commands {
            let condition = command.words.map { "__fish_seen_subcommand_from \($0)" }.joined(separator: "; and ")
            for option in command.options {
                var line = "complete -c trailwarden -n \(ShellWords.fishQuoted(condition)) -l \(option.name)"
                if option.arity != .flag {
                    switch option.valueCompletion {
                    case .files: line += " -r -F"
                    case .words(let words): line += " -x -a \(ShellWords.fishQuoted(words.joined(separator: " ")))"
                    case .none: line += " -x"
                    }
                }
                lines.append(line + " -d \(ShellWords.fishQuoted(option.help))")
            }
            if let positional = command.positional, !positional.choices.isEmpty {
                lines.append("complete -c trailwarden -n \(ShellWords.fishQuoted(condition)) -a \(ShellWords.fishQuoted(positional.choices.joined(separator: " ")))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
