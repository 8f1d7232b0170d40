/// One command-line option a command accepts. The same tables drive the
/// parser, the help, the man page and the shell completions.
struct OptionSpec: Sendable {
    enum Arity: Sendable {
        /// `--verbose`
        case flag
        /// `--start-time T`, given at most once.
        case single
        /// `--public-keys FILE`, given any number of times.
        case repeating
    }

    var name: String
    var arity: Arity
    var valueName: String
    var help: String

    /// What a shell may complete for the value: files, a fixed set of words
    /// (`text|json`), or nothing it can know (an ARN, a number).
    var valueCompletion: ValueCompletion {
        if ["FILE", "PATH"].contains(valueName) { return .files }
        if valueName.contains("|") { return .words(valueName.split(separator: "|").map(String.init)) }
        return .none
    }

    enum ValueCompletion: Equatable { case files, words([String]), none }

    static func flag(_ name: String, _ help: String) -> OptionSpec { OptionSpec(name: name, arity: .flag, valueName: "", help: help) }
    static func single(_ name: String, _ valueName: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, arity: .single, valueName: valueName, help: help)
    }
    static func repeating(_ name: String, _ valueName: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, arity: .repeating, valueName: valueName, help: help)
    }
}

/// The one positional argument a command may take (`completion SHELL`).
struct PositionalSpec: Sendable {
    var name: String
    var help: String
    /// The values it may take, when they are a fixed set (shell completion offers them).
    var choices: [String] = []
}
