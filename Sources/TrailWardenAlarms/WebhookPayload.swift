import Foundation
import TrailWardenVocabulary

/// The JSON a webhook receives: `text` for chat tools that show it as is
/// (Slack's incoming webhooks, and the many services compatible with them),
/// and `trailwarden`, the whole notice with every finding, for programs.
struct WebhookPayload: Encodable, Sendable {
    var text: String
    var trailwarden: Notice

    init(_ notice: AlarmNotice) {
        let text = AlarmText(notice)
        self.text = text.chatText()
        let counts = text.categoryCounts
        trailwarden = Notice(runId: notice.runID, test: notice.isTest, caller: notice.caller,
                             finishedAt: CloudTrailTime.display(notice.finishedAt),
                             counts: Dictionary(uniqueKeysWithValues: FindingCategory.allCases.map { ($0.rawValue, counts[$0, default: 0]) }),
                             findings: notice.findings.map(Finding.init), accounts: notice.accounts,
                             scanErrors: notice.scanErrors)
    }

    /// UTF-8 JSON with sorted keys.
    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }

    struct Notice: Codable, Sendable, Equatable {
        var runId: Int64
        var test: Bool
        var caller: String
        var finishedAt: String
        /// Every category's raw value, zeros included.
        var counts: [String: Int]
        var findings: [Finding]
        var accounts: [AlarmNotice.AccountFigures]
        var scanErrors: Int
    }

    /// An `AlarmFinding` on the wire, as docs/alarms.md documents it for receivers: times as
    /// display text, the category spelled out, and keys in the webhook's own spelling. A view
    /// of its own because receivers decode it, while the sinks work with the typed finding.
    struct Finding: Codable, Sendable, Equatable {
        var accountId: String
        var trailArn: String
        var region: String?
        var kind: FindingKind
        var category: FindingCategory
        var object: String
        var message: String
        var firstSeen: String
        var status: FindingStatus

        init(_ finding: AlarmFinding) {
            accountId = finding.accountID
            trailArn = finding.trailARN
            region = finding.region
            kind = finding.kind
            category = finding.category
            object = finding.object
            message = finding.message
            firstSeen = CloudTrailTime.display(finding.firstSeen)
            status = finding.status
        }

        /// `region` is written as null rather than left out, so every finding has the same keys.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(accountId, forKey: .accountId)
            try container.encode(trailArn, forKey: .trailArn)
            try container.encode(region, forKey: .region)
            try container.encode(kind, forKey: .kind)
            try container.encode(category, forKey: .category)
            try container.encode(object, forKey: .object)
            try container.encode(message, forKey: .message)
            try container.encode(firstSeen, forKey: .firstSeen)
            try container.encode(status, forKey: .status)
        }
    }
}
