/// One command-line option a command accepts.
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

    static func flag(_ name: String, _ help: String) -> OptionSpec { OptionSpec(name: name, arity: .flag, valueName: "", help: help) }
    static func single(_ name: String, _ valueName: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, arity: .single, valueName: valueName, help: help)
    }
    static func repeating(_ name: String, _ valueName: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, arity: .repeating, valueName: valueName, help: help)
    }
}

/// A command line that does not fit the command, or an input it names (a file, a URL,
/// a configuration) that cannot be used: reported in one line, exit 2.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The options found on a command line.
struct ParsedArguments: Sendable {
    private(set) var values: [String: [String]] = [:]

    func has(_ name: String) -> Bool { values[name] != nil }
    func value(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }

    func required(_ name: String) throws(UsageError) -> String {
        guard let value = value(name) else { throw UsageError("missing required option --\(name)") }
        return value
    }

    func integer(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws(UsageError) -> Int {
        guard let text = value(name) else { return fallback }
        guard let number = Int(text), range.contains(number) else {
            throw UsageError("--\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \"\(text)\"")
        }
        return number
    }

    fileprivate mutating func add(_ name: String, _ value: String) { values[name, default: []].append(value) }
}

/// A deliberately small parser: long options only, `--name value` or
/// `--name=value`, no positional arguments. Unknown or repeated options are
/// errors rather than surprises.
enum ArgumentParser {
    static func parse(_ arguments: [String], options: [OptionSpec]) throws(UsageError) -> ParsedArguments {
        let byName = Dictionary(options.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var parsed = ParsedArguments()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--"), argument.count > 2 else {
                throw UsageError("unexpected argument \"\(argument)\"")
            }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let spec = byName[name] else { throw UsageError("unknown option --\(name)") }
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
        return parsed
    }

    /// The options section of a command's help.
    static func help(_ options: [OptionSpec]) -> String {
        let labels = options.map { option -> String in
            "--\(option.name)" + (option.arity == .flag ? "" : " \(option.valueName)")
        }
        let width = (labels.map(\.count).max() ?? 0) + 2
        return zip(labels, options).map { label, option in
            "  " + label.padding(toLength: width, withPad: " ", startingAt: 0) + option.help
        }.joined(separator: "\n")
    }
}
