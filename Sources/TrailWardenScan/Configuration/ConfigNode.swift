import TrailWardenVocabulary

/// A JSON value together with its path in the file, so every check can word
/// its error as "`path` must be …, not …" without threading names around.
struct ConfigNode {
    let value: JSONValue
    /// The JSON path; empty for the document itself.
    let path: String
    let file: String

    /// An error about this key: "`path` `problem`", or "the file `problem`"
    /// for the document itself.
    func error(_ problem: String) -> ConfigurationError {
        ConfigurationError(file: file, path: path.isEmpty ? nil : path, message: "\(path.isEmpty ? "the file" : path) \(problem)")
    }

    /// "must be `expected`, not `what was found`".
    func mismatch(_ expected: String) -> ConfigurationError {
        error("must be \(expected), not \(value.shortDescription)")
    }

    func child(_ key: String, _ value: JSONValue) -> ConfigNode {
        let plain = !key.isEmpty && key.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }
        let childPath = plain ? (path.isEmpty ? key : "\(path).\(key)") : "\(path)[\(JSONValue.quoted(key))]"
        return ConfigNode(value: value, path: childPath, file: file)
    }

    func string(_ expected: String = "a string") throws(ConfigurationError) -> String {
        guard case .string(let text) = value else { throw mismatch(expected) }
        return text
    }

    func bool() throws(ConfigurationError) -> Bool {
        guard case .bool(let flag) = value else { throw mismatch("true or false") }
        return flag
    }

    /// A whole number in `range`; `3600`, `3600.0` and `3.6e3` are all 3600.
    func integer(in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        let expected = "a whole number from \(range.lowerBound) to \(range.upperBound)"
        guard case .number(let text) = value, let number = Double(text), number.rounded() == number,
              number >= Double(range.lowerBound), number <= Double(range.upperBound) else { throw mismatch(expected) }
        return Int(number)
    }

    /// The elements of a list; `expected` describes the list for the error.
    func array(_ expected: String) throws(ConfigurationError) -> [ConfigNode] {
        guard case .array(let elements) = value else { throw mismatch(expected) }
        return elements.enumerated().map { ConfigNode(value: $1, path: "\(path)[\($0)]", file: file) }
    }

    /// An object whose keys must all be in `keys`, so a typo is an error rather
    /// than a setting silently left at its default.
    func object(keys: [String]) throws(ConfigurationError) -> ConfigObject {
        let members = try map()
        for (key, node) in members where !keys.contains(key) {
            var message = "unknown key \(JSONValue.quoted(key))"
            if !path.isEmpty { message += " in \(path)" }
            if let guess = KeySuggestion.closest(to: key, among: keys) {
                message += " (did you mean \(JSONValue.quoted(guess))?)"
            } else {
                message += " (expected \(keys.map { JSONValue.quoted($0) }.joined(separator: ", ")))"
            }
            throw ConfigurationError(file: file, path: node.path, message: message)
        }
        return ConfigObject(node: self, members: members)
    }

    /// An object used as a map (account id → role, bucket → access): any keys,
    /// in file order, each at most once.
    func map() throws(ConfigurationError) -> [(key: String, node: ConfigNode)] {
        guard case .object(let members) = value else { throw mismatch("an object") }
        var seen = Set<String>()
        var result: [(key: String, node: ConfigNode)] = []
        for (key, member) in members {
            guard seen.insert(key).inserted else {
                throw error("has the key \(JSONValue.quoted(key)) twice")
            }
            result.append((key, child(key, member)))
        }
        return result
    }
}

/// The members of a checked object, read by name.
struct ConfigObject {
    let node: ConfigNode
    let members: [(key: String, node: ConfigNode)]

    subscript(_ key: String) -> ConfigNode? { members.first { $0.key == key }?.node }

    func required(_ key: String) throws(ConfigurationError) -> ConfigNode {
        guard let member = self[key] else {
            throw node.error("is missing the key \(JSONValue.quoted(key))")
        }
        return member
    }
}
