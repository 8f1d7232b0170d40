/// GitHub-flavoured Markdown tables read back, for tests of rendered reports.
public enum MarkdownTables {
    /// Every block of consecutive lines that start with "|".
    public static func tables(_ text: String) -> [[String]] {
        var tables: [[String]] = []
        var current: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("|") {
                current.append(String(line))
            } else if !current.isEmpty {
                tables.append(current)
                current = []
            }
        }
        return tables + (current.isEmpty ? [] : [current])
    }

    /// The cells of a row between its outer pipes, split on the pipes that are not
    /// escaped, with backslash escapes undone and the one space of padding removed.
    public static func cells(_ row: String) -> [String] {
        var cells: [String] = []
        var cell = ""
        var escaping = false
        for character in row.dropFirst().dropLast() {
            if escaping {
                cell.append(character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else if character == "|" {
                cells.append(cell)
                cell = ""
            } else {
                cell.append(character)
            }
        }
        cells.append(cell)
        return cells.map { String($0.dropFirst().dropLast()) }
    }
}
