import Foundation
import TrailWardenVocabulary

/// The words of an alarm, shared by every sink, so that an SNS e-mail, a chat
/// post and a webhook say the same thing in the same order.
///
/// The body lists the findings grouped by account, then trail, oldest first
/// within a trail, then the figures of every account scanned. It is built
/// from items (one finding, or one account's figures) so that a sink with a
/// size limit can cut it into parts between items without losing any.
public struct AlarmText: Sendable {
    public let notice: AlarmNotice
    /// The items of the body in order: every finding, then every account's figures.
    let items: [AlarmTextItem]

    /// SNS refuses longer subjects.
    public static let subjectLimit = 100

    public init(_ notice: AlarmNotice) {
        self.notice = notice
        let findings = notice.findings.enumerated()
            .sorted { ($0.element.accountID, $0.element.trailARN, $0.offset) < ($1.element.accountID, $1.element.trailARN, $1.offset) }
            .map { AlarmTextItem.finding($0.element) }
        items = findings + notice.accounts.sorted { $0.accountID < $1.accountID }.map(AlarmTextItem.account)
    }

    /// One line of at most 100 ASCII characters, as SNS requires.
    public var subject: String { subject(part: nil) }

    /// The whole plain-text message.
    public var body: String { body(items[...], part: nil) }

    /// The subject, marked with the part when the message is one of several.
    func subject(part: AlarmPart?) -> String {
        let suffix = part.map { " " + $0.label } ?? ""
        let findings = notice.findings.count
        let candidates: [String]
        if notice.isTest {
            candidates = [findings == 0 ? "TrailWarden TEST message (no findings)" : "TrailWarden TEST message (\(findings) sample findings, nothing is wrong)",
                          "TrailWarden TEST message"]
        } else if findings == 0 {
            candidates = ["TrailWarden: no new findings (scan \(notice.runID))", "TrailWarden: no new findings"]
        } else {
            let accounts = Set(notice.findings.map(\.accountID)).count
            let counted = Self.counted(findings, "new finding")
            candidates = ["TrailWarden: \(counted) in \(Self.counted(accounts, "account")) (scan \(notice.runID))",
                          "TrailWarden: \(counted) (scan \(notice.runID))", "TrailWarden: \(counted)"]
        }
        let marked = candidates.map { Self.asciiLine($0 + suffix) }
        return marked.first { $0.count <= Self.subjectLimit } ?? String(marked[marked.count - 1].prefix(Self.subjectLimit))
    }

    /// The message made of `items`: the head, the items, and the footer.
    func body(_ items: ArraySlice<AlarmTextItem>, part: AlarmPart?) -> String {
        var text = head(part: part)
        var previous: AlarmTextItem?
        for item in items {
            text += piece(item, after: previous)
            previous = item
        }
        return text + footer
    }

    /// The first line, the scan, the counts per category and any scan errors.
    func head(part: AlarmPart?) -> String {
        let firstLine = notice.isTest
            ? "TEST MESSAGE from TrailWarden (trailwarden alarm test): nothing is wrong and no action is needed." + (part.map { " " + $0.label } ?? "")
            : subject(part: part)
        var lines = [firstLine, "",
                     "Scan:      \(notice.runID)",
                     "Caller:    \(Self.singleLine(notice.caller))",
                     "Finished:  \(CloudTrailTime.display(notice.finishedAt))"]
        if let part {
            lines.append("Part:      \(part.number) of \(part.count), with \(part.findingsInPart) of the \(notice.findings.count) findings")
        }
        if notice.isTest && notice.findings.isEmpty {
            lines += ["", "This message only checks that TrailWarden's alarms reach you."]
        } else {
            lines += ["", notice.isTest ? "Sample findings by category (not real):" : "New findings by category:"]
            let counts = categoryCounts
            lines += FindingCategory.allCases.map { "  " + $0.label.padding(toLength: 24, withPad: " ", startingAt: 0) + String(counts[$0, default: 0]) }
        }
        let accountErrors = notice.accounts.reduce(0) { $0 + $1.errors }
        // A test says nothing is wrong, so it carries no errors.
        if !notice.isTest && accountErrors + notice.scanErrors > 0 {
            lines += ["", "Scan errors: \(accountErrors + notice.scanErrors) (in accounts \(accountErrors), outside any account \(notice.scanErrors))"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// How to see everything, after the last item.
    var footer: String {
        "\nFull report: trailwarden report --state STATE_FILE (this was scan \(notice.runID)).\n"
    }

    /// The text of `item`, with the headings it needs when it follows `previous` (nil at the start of a part).
    func piece(_ item: AlarmTextItem, after previous: AlarmTextItem?) -> String {
        switch item {
        case .finding(let finding):
            var text = ""
            let previousFinding = previous?.finding
            if previousFinding?.accountID != finding.accountID {
                text += "\nAccount \(Self.singleLine(finding.accountID))\n"
            }
            if previousFinding?.accountID != finding.accountID || previousFinding?.trailARN != finding.trailARN {
                text += "  Trail \(Self.singleLine(finding.trailARN))\n"
            }
            let region = finding.region.map { "[\(Self.singleLine($0))] " } ?? ""
            return text + "    - \(region)\(Self.readable(finding))\n"
                + "      \(Self.singleLine(finding.kind.rawValue)), \(Self.singleLine(finding.status.rawValue)), first seen \(CloudTrailTime.display(finding.firstSeen))\n"
        case .account(let figures):
            var text = ""
            if case .account = previous {} else {
                text += "\nAccounts scanned (\(notice.accounts.count)):\n"
            }
            return text + "  \(Self.singleLine(figures.accountID))  chains validated \(figures.chainsValidated), errors \(figures.errors)\n"
        }
    }

    /// The number of the notice's findings in each category.
    var categoryCounts: [FindingCategory: Int] {
        notice.findings.reduce(into: [:]) { $0[$1.category, default: 0] += 1 }
    }

    /// A finding's reference-style line made readable: "Log file\ts3://b/k\tINVALID: …" becomes
    /// "Log file s3://b/k — INVALID: …". The object alone when the message is empty.
    static func readable(_ finding: AlarmFinding) -> String {
        let fields = finding.message.split(separator: "\t").map { singleLine(String($0)).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        switch fields.count {
        case 0: return singleLine(finding.object)
        case 1: return fields[0]
        default: return ([fields[0] + " " + fields[1]] + fields.dropFirst(2)).joined(separator: " — ")
        }
    }

    /// `text` with line breaks and other control characters turned into spaces.
    static func singleLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
    }

    /// `text` with anything but printable ASCII turned into "?".
    static func asciiLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { (0x20..<0x7f).contains($0.value) ? $0 : "?" }))
    }

    /// "1 new finding", "7 new findings".
    static func counted(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}

/// One unit of an alarm body that is never cut: a finding, or one account's figures.
enum AlarmTextItem: Sendable {
    case finding(AlarmFinding)
    case account(AlarmNotice.AccountFigures)

    var finding: AlarmFinding? {
        if case .finding(let finding) = self { return finding }
        return nil
    }
}

/// Which of several messages carries a part of one notice.
struct AlarmPart: Sendable, Equatable {
    var number: Int
    var count: Int
    var findingsInPart: Int

    var label: String { "(part \(number)/\(count))" }
}
