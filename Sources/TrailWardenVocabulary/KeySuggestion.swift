/// "Did you mean …?" for misspelt names: configuration keys, commands and
/// command-line options, so every layer suggests by the same rule.
public enum KeySuggestion {
    /// The allowed key closest to `key` by edit distance, ignoring case, if it
    /// is close enough to be a plausible typo (a third of its length, at least 2).
    public static func closest(to key: String, among candidates: [String]) -> String? {
        let typed = Array(key.lowercased())
        let ranked = candidates.map { ($0, distance(typed, Array($0.lowercased()))) }
        guard let best = ranked.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(2, best.0.count / 3) ? best.0 : nil
    }

    /// Levenshtein distance with one rolling row.
    private static func distance(_ a: [Character], _ b: [Character]) -> Int {
        var row = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var diagonal = row[0]
            row[0] = i + 1
            for (j, cb) in b.enumerated() {
                let above = row[j + 1]
                row[j + 1] = min(above + 1, row[j] + 1, diagonal + (ca == cb ? 0 : 1))
                diagonal = above
            }
        }
        return row[b.count]
    }
}
