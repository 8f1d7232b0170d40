import TrailWardenVocabulary

/// A deliberately small parser: long options only, `--name value` or
/// `--name=value`, `--` ending the options, at most one positional argument
/// and only for a command that declares it. Unknown options (with the nearest
/// known one suggested) and repeated single options are errors, not surprises.
enum ArgumentParser {
    static func parse(_ arguments: [String], options: [OptionSpec], positional: PositionalSpec? = nil) throws(UsageError) -> ParsedArguments {
        let byName = Dictionary(options.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var parsed = ParsedArguments()
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if !optionsEnded, argument == "--" {
                optionsEnded = true
                continue
            }
            guard !optionsEnded, argument.hasPrefix("-"), argument != "-" else {
                guard let positional, parsed.positionals.isEmpty else { throw UsageError("unexpected argument \"\(argument)\"") }
                guard positional.choices.isEmpty || positional.choices.contains(argument) else {
                    let choices = positional.choices.dropLast().joined(separator: ", ") + " or " + (positional.choices.last ?? "")
                    throw UsageError("\(positional.name) must be \(choices), not \"\(argument)\"")
                }
                parsed.addPositional(argument)
                continue
            }
            guard argument.hasPrefix("--"), argument.count > 2 else {
                throw UsageError("unexpected argument \"\(argument)\" (options are long: --name)")
            }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let spec = byName[name] else {
                let guess = KeySuggestion.closest(to: name, among: options.map(\.name))
                throw UsageError("unknown option --\(name)" + (guess.map { "; did you mean --\($0)?" } ?? ""))
            }
            switch spec.arity {
            case .flag:
                guard inlineValue == nil else { throw UsageError("--\(name) takes no value") }
                parsed.add(name, "")
            case .single, .repeating:
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard index < arguments.count else { throw UsageError("--\(name) needs a value (\(spec.valueName))") }
                    value = arguments[index]
                    index += 1
                }
                if spec.arity == .single, parsed.has(name) { throw UsageError("--\(name) given more than once") }
                parsed.add(name, value)
            }
        }
        if let positional, parsed.positionals.isEmpty { throw UsageError("missing \(positional.name)") }
        return parsed
    }

    /// The options section of a command's help.
    static func help(_ options: [OptionSpec]) -> String {
        let labels = options.map(label)
        let width = (labels.map(\.count).max() ?? 0) + 2
        return zip(labels, options).map { label, option in
            "  " + label.padding(toLength: width, withPad: " ", startingAt: 0) + option.help
        }.joined(separator: "\n")
    }

    /// `--name VALUE`, as help and the man page show an option.
    static func label(_ option: OptionSpec) -> String {
        "--\(option.name)" + (option.arity == .flag ? "" : " \(option.valueName)")
    }
}
