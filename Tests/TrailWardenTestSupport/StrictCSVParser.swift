/// A strict RFC 4180 reader for the tests: CRLF after every record, quotes
/// only around whole fields, doubled quotes inside them, nothing else.
/// Anything looser (a bare LF, a stray quote, a missing final CRLF) throws.
public enum StrictCSVParser {
    public struct Malformed: Error, CustomStringConvertible {
        public var description: String
    }

    public static func parse(_ text: String) throws -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var scalars = Array(text.unicodeScalars)[...]
        var atFieldStart = true
        while let scalar = scalars.popFirst() {
            switch scalar {
            case "\"" where atFieldStart:
                while true {
                    guard let next = scalars.popFirst() else { throw Malformed(description: "unterminated quoted field") }
                    if next == "\"" {
                        guard scalars.first == "\"" else { break }
                        scalars.removeFirst()
                    }
                    field.unicodeScalars.append(next)
                }
                guard let after = scalars.first, after == "," || after == "\r" else {
                    throw Malformed(description: "text after a closing quote in \(field)")
                }
                atFieldStart = false
            case "\"":
                throw Malformed(description: "quote inside an unquoted field \(field)")
            case ",":
                record.append(field)
                field = ""
                atFieldStart = true
            case "\r":
                guard scalars.popFirst() == "\n" else { throw Malformed(description: "CR without LF") }
                record.append(field)
                records.append(record)
                record = []
                field = ""
                atFieldStart = true
            case "\n":
                throw Malformed(description: "bare LF in an unquoted field")
            default:
                field.unicodeScalars.append(scalar)
                atFieldStart = false
            }
        }
        guard record.isEmpty, field.isEmpty, atFieldStart else { throw Malformed(description: "last record without CRLF") }
        return records
    }
}
