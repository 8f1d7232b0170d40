import TrailWardenCore
import TrailWardenVocabulary
/// A parsed JSON document that keeps what the configuration checks need and
/// `JSONSerialization` loses: members in file order (so the first unknown key
/// reported is the first in the file), duplicate keys, booleans distinct from
/// numbers, and a number's own text (so `3600.5` is reported as written).
enum JSONValue {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    /// How a value is named in "must be …, not X": strings and scalars as
    /// written, containers by kind, so a message stays one short line.
    var shortDescription: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let text): return text
        case .string(let text): return JSONValue.quoted(text)
        case .array: return "a list"
        case .object: return "an object"
        }
    }

    /// A string as JSON would write it, cut at 60 characters, so a pasted
    /// essay or a control character cannot break the one-line message.
    static func quoted(_ text: String) -> String {
        JSONString.quote(text.count > 60 ? String(text.prefix(60)) + "…" : text)
    }
}
