/// Text made safe for one GitHub-flavoured Markdown table cell or list item.
///
/// Object keys and messages may be hostile or merely awkward: a `|` would
/// split a cell, a backtick or `*` would start formatting, `<` could start
/// HTML, and a newline would end the row. Tabs (the separators of
/// reference-style messages) become " · ".
enum MarkdownText {
    private static let escaped: Set<Unicode.Scalar> = ["\\", "|", "`", "*", "_", "[", "]", "<", ">", "#", "~", "!"]

    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var previousWasLineBreak = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\t":
                result += " · "
            case "\r", "\n":
                if !previousWasLineBreak { result += " " }
            default:
                if escaped.contains(scalar) { result += "\\" }
                result.unicodeScalars.append(scalar)
            }
            previousWasLineBreak = scalar == "\r" || scalar == "\n"
        }
        return result
    }
}
