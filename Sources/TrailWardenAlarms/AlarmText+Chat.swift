import TrailWardenVocabulary

extension AlarmText {
    /// Slack truncates longer message texts (other chat tools are similar).
    public static let chatCharacterLimit = 3_000

    /// The notice for a chat message, in Slack's mrkdwn: the subject in bold,
    /// the counts per category, then one line per finding, as many as fit in
    /// `characterLimit` characters, ending "… and N more" when some do not.
    public func chatText(characterLimit: Int = AlarmText.chatCharacterLimit) -> String {
        var lines = ["*\(Self.chatEscaped(subject))*"]
        if notice.isTest {
            lines.append("This is a test from `trailwarden alarm test`: nothing is wrong and no action is needed.")
        }
        let counts = categoryCounts
        let summary = FindingCategory.allCases.compactMap { category in counts[category].map { "\($0) \(category.label)" } }
        if !summary.isEmpty { lines.append(summary.joined(separator: " · ")) }

        var text = lines.joined(separator: "\n")
        var length = text.count
        let findings = items.compactMap(\.finding)
        for (index, finding) in findings.enumerated() {
            let region = finding.region.map { " [\($0)]" } ?? ""
            let line = "\n• `\(finding.accountID)`" + Self.chatEscaped("\(region) \(Self.readable(finding))")
            let reserve = index + 1 < findings.count ? Self.moreLine(findings.count - index - 1).count : 0
            guard length + line.count + reserve <= characterLimit else {
                return text + Self.moreLine(findings.count - index)
            }
            text += line
            length += line.count
        }
        return text
    }

    private static func moreLine(_ count: Int) -> String { "\n… and \(count) more" }

    /// `text` with the three characters Slack's mrkdwn reserves escaped.
    static func chatEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
