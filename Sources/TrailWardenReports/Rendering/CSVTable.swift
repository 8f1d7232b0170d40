/// An RFC 4180 table that is also safe to open in a spreadsheet.
///
/// Object keys and messages come from S3 keys an attacker may choose, so a
/// field that a spreadsheet would read as a formula (one starting with `=`,
/// `+`, `-`, `@`, a tab or a carriage return) gets a leading apostrophe, which
/// spreadsheets show as text and do not display.
enum CSVTable {
    static let lineEnd = "\r\n"
    private static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// One row, its line end included.
    static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + lineEnd
    }

    /// One field, defused and then quoted when it holds a comma, quote, CR or LF.
    static func field(_ value: String) -> String {
        // `\r\n` is a single Character in Swift, so test the scalars, not the characters.
        let defused = value.unicodeScalars.first.map(formulaStarts.contains) == true ? "'" + value : value
        let needsQuotes = defused.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        return needsQuotes ? "\"" + defused.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : defused
    }
}
