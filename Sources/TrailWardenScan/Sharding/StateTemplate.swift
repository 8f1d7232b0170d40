import Foundation

/// How `--state` names each shard's state: a key or path with placeholders, `{index}`,
/// `{count}` and `{shard}` (`shard-INDEX-of-COUNT`, or `state` for an unsharded scan), as a
/// Kubernetes Indexed Job or an AWS Batch array job names its tasks' files. A prefix
/// (`s3://bucket/prefix/`) is the template `prefix/{shard}.sqlite`.
///
/// Why one type both ways: the name a shard writes and the names `report` and a resized
/// shard find (the same template with other values) must agree exactly, so the states of
/// every layout are found and a name matches only what rendering would have produced.
public struct StateTemplate: Sendable, Hashable, CustomStringConvertible {
    enum Piece: Sendable, Hashable {
        case text(String)
        case index, count, shard
    }

    /// What a name that matches says of its state.
    public struct Named: Sendable, Hashable {
        /// The shard it is of; nil for an unsharded state, or when the template leaves the count out.
        public var shard: ShardAssignment?
        /// `{shard}` read as `state`.
        public var isUnsharded: Bool
    }

    /// The placeholders, as documented in docs/state.md#state-templates.
    public static let placeholders = ["index", "count", "shard"]

    let pieces: [Piece]
    public let description: String

    /// `text`, a key or a path; without `{` or `}` it names one state whatever the shard.
    public init(parsing text: String) throws(StateTemplateError) {
        var pieces = [Piece](), literal = "", rest = Substring(text)
        while let first = rest.first {
            rest = rest.dropFirst()
            if first == "}" { throw StateTemplateError("a \"}\" without its \"{\"") }
            guard first == "{" else {
                literal.append(first)
                continue
            }
            guard let close = rest.firstIndex(of: "}"), !rest[..<close].contains("{") else {
                throw StateTemplateError("a \"{\" without its \"}\"")
            }
            let name = String(rest[..<close])
            rest = rest[rest.index(after: close)...]
            let piece: Piece
            switch name {
            case "index": piece = .index
            case "count": piece = .count
            case "shard": piece = .shard
            default:
                throw StateTemplateError("unknown placeholder {\(name)} (known: \(Self.placeholders.map { "{\($0)}" }.joined(separator: ", ")))")
            }
            if !literal.isEmpty {
                pieces.append(.text(literal))
            } else if !pieces.isEmpty {
                throw StateTemplateError("placeholders must be separated by text, like {index}-{count}")
            }
            literal = ""
            pieces.append(piece)
        }
        if !literal.isEmpty { pieces.append(.text(literal)) }
        self.pieces = pieces
        description = text
    }

    /// A prefix `prefix/`'s template: each shard's `shard-INDEX-of-COUNT.sqlite` under it, `state.sqlite` unsharded.
    public static func prefix(_ prefix: String) -> StateTemplate {
        StateTemplate(pieces: (prefix.isEmpty ? [] : [.text(prefix)]) + [.shard, .text(".sqlite")], description: prefix + "{shard}.sqlite")
    }

    private init(pieces: [Piece], description: String) {
        self.pieces = pieces
        self.description = description
    }

    /// Whether it has placeholders (else it names one state).
    public var isTemplate: Bool { pieces.contains { if case .text = $0 { false } else { true } } }

    /// Whether the states of two shard counts have different names (so a resize can find the earlier layout's).
    public var namesCount: Bool { pieces.contains(.count) || pieces.contains(.shard) }

    /// The text before the first placeholder: what an S3 listing or a folder listing starts from.
    public var fixedPrefix: String {
        guard case .text(let text)? = pieces.first else { return "" }
        return text
    }

    /// Whether a placeholder, or text after one, lies in a folder below the fixed prefix (so a listing must descend).
    public var spansFolders: Bool { description.dropFirst(fixedPrefix.count).contains("/") }

    /// The name of `shard`'s state (nil: unsharded).
    public func name(for shard: ShardAssignment?) throws(StateTemplateError) -> String {
        guard isTemplate else { return description }
        if let shard {
            guard pieces.contains(.index) || pieces.contains(.shard) else {
                throw StateTemplateError("a template for a sharded scan needs {index} or {shard}, so that each shard has its own state")
            }
            return render(shard)
        }
        guard !pieces.contains(.index) && !pieces.contains(.count) else {
            throw StateTemplateError("{index} and {count} need a sharded scan (--shard); an unsharded scan's template has only {shard} (read as \"state\")")
        }
        return render(nil)
    }

    private func render(_ shard: ShardAssignment?) -> String {
        pieces.map { piece in
            switch piece {
            case .text(let text): text
            case .index: shard.map { String($0.index) } ?? ""
            case .count: shard.map { String($0.count) } ?? ""
            case .shard: shard.map { "shard-\($0.index)-of-\($0.count)" } ?? "state"
            }
        }.joined()
    }

    /// What `name` says of its state if this template (with some values) names it exactly, else nil.
    public func match(_ name: String) -> Named? {
        guard isTemplate else { return nil }
        return Self.match(pieces[...], Substring(name), Values())
    }

    private struct Values {
        var index: Int?, count: Int?, unsharded = false

        mutating func set(index: Int? = nil, count: Int? = nil) -> Bool {
            if let index {
                guard self.index.map({ $0 == index }) ?? true else { return false }
                self.index = index
            }
            if let count {
                guard self.count.map({ $0 == count }) ?? true else { return false }
                self.count = count
            }
            return true
        }
    }

    /// Every split of `rest` is tried for a placeholder (what follows it decides), so a name matches whenever some values render it.
    private static func match(_ pieces: ArraySlice<Piece>, _ rest: Substring, _ values: Values) -> Named? {
        guard let piece = pieces.first else {
            guard rest.isEmpty, !(values.unsharded && (values.index != nil || values.count != nil)) else { return nil }
            let shard = values.index.flatMap { index in values.count.flatMap { try? ShardAssignment(index: index, count: $0) } }
            guard shard != nil || values.index == nil || values.count == nil else { return nil }
            return Named(shard: shard, isUnsharded: values.unsharded)
        }
        if case .text(let text) = piece {
            return rest.hasPrefix(text) ? match(pieces.dropFirst(), rest.dropFirst(text.count), values) : nil
        }
        var end = rest.startIndex
        while end < rest.endIndex {
            end = rest.index(after: end)
            var values = values
            let value = rest[..<end]
            let fits: Bool
            switch piece {
            case .index: fits = number(value).map { values.set(index: $0) } ?? false
            case .count: fits = number(value).map { values.set(count: $0) } ?? false
            default:
                if value == "state" {
                    values.unsharded = true
                    fits = true
                } else {
                    let parts = value.split(separator: "-", omittingEmptySubsequences: false)
                    fits = parts.count == 4 && parts[0] == "shard" && parts[2] == "of"
                        && number(parts[1]).map { index in number(parts[3]).map { values.set(index: index, count: $0) } ?? false } ?? false
                }
            }
            if fits, let named = match(pieces.dropFirst(), rest[end...], values) { return named }
        }
        return nil
    }

    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber), text == "0" || !text.hasPrefix("0"), text.count < 10 else { return nil }
        return Int(text)
    }
}

/// A `--state` template that cannot be used: a usage error (exit 2).
public struct StateTemplateError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
