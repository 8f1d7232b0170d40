import TrailWardenVocabulary

/// Every command, and how words on a command line name one: the dispatcher,
/// the help, the man page and the shell completions all read this one table.
struct CommandTable: Sendable {
    let commands: [CommandDescriptor]

    /// What the first word may be: each top-level command, each group once, then `help`.
    var firstWords: [String] {
        var words = [String]()
        for command in commands where !words.contains(command.words[0]) { words.append(command.words[0]) }
        return words + ["help"]
    }

    /// The commands of a group (`alarm`), empty when `name` is not a group.
    func members(of group: String) -> [CommandDescriptor] { commands.filter { $0.group == group } }

    var groups: [String] {
        var names = [String]()
        for command in commands { if let group = command.group, !names.contains(group) { names.append(group) } }
        return names
    }

    /// What a command line's first words name.
    enum Lookup {
        case command(CommandDescriptor, rest: [String])
        case group(String, rest: [String])
        case unknown(String, suggestion: String?)
    }

    func lookup(_ arguments: [String]) -> Lookup {
        if let command = commands.first(where: { arguments.starts(with: $0.words) }) {
            return .command(command, rest: Array(arguments.dropFirst(command.words.count)))
        }
        guard let first = arguments.first else { return .unknown("", suggestion: nil) }
        let members = members(of: first)
        guard !members.isEmpty else {
            return .unknown(first, suggestion: KeySuggestion.closest(to: first, among: firstWords))
        }
        let rest = Array(arguments.dropFirst())
        guard let second = rest.first, !second.hasPrefix("-") else { return .group(first, rest: rest) }
        let guess = KeySuggestion.closest(to: second, among: members.map { $0.words[1] })
        return .unknown("\(first) \(second)", suggestion: guess.map { "\(first) \($0)" })
    }
}
