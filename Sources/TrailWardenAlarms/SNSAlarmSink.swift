import TrailWardenAWS
import TrailWardenVocabulary

/// Announces a notice on an SNS topic: for e-mail, chat and on-call
/// subscribers, with message attributes for subscription filter policies.
///
/// A notice larger than SNS accepts goes out as several messages marked
/// "(part i/n)", cut between findings; each message's attributes describe
/// the findings it carries. When a part fails the whole notice counts as
/// undelivered, so a retry sends every part again.
public struct SNSAlarmSink: AlarmSink {
    /// SNS's limit for a message and its attributes together.
    public static let maximumMessageBytes = 256 * 1024

    public let client: SNSClient
    public let topicARN: String
    /// The size every message, with its subject and attributes, stays within.
    public let maximumMessageBytes: Int

    public init(client: SNSClient, topicARN: String, maximumMessageBytes: Int = SNSAlarmSink.maximumMessageBytes) {
        self.client = client
        self.topicARN = topicARN
        self.maximumMessageBytes = maximumMessageBytes
    }

    public var target: String { "sns:" + topicARN }

    public func deliver(_ notice: AlarmNotice) async throws {
        for message in messages(for: notice) {
            do {
                _ = try await client.publish(topicARN: topicARN, subject: message.subject, message: message.body,
                                             messageAttributes: Self.attributes(of: message.findings, notice: notice))
            } catch {
                throw AlarmDeliveryError(target: target, reason: "\(error)")
            }
        }
    }

    /// The messages that carry `notice`, each within `maximumMessageBytes`.
    func messages(for notice: AlarmNotice) -> [AlarmTextPart] {
        // A part's attributes list a subset of the whole notice's accounts and categories, so they are never longer.
        let attributeBytes = Self.attributes(of: notice.findings, notice: notice).reduce(0) { $0 + $1.value.byteCount(name: $1.key) }
        return AlarmText(notice).parts(maximumBodyBytes: maximumMessageBytes - attributeBytes - AlarmText.subjectLimit)
    }

    /// The attributes of a message carrying `findings` of `notice` (at most 5 of SNS's 10):
    /// `event` ("findings" or "test"), `runId`, `findings` (how many this message carries),
    /// and the `accounts` and `categories` of those findings as string arrays.
    static func attributes(of findings: [AlarmFinding], notice: AlarmNotice) -> [String: SNSMessageAttribute] {
        var attributes: [String: SNSMessageAttribute] = [
            "event": .string(notice.isTest ? "test" : "findings"),
            "runId": .number(notice.runID),
            "findings": .number(findings.count),
        ]
        let accounts = Set(findings.map(\.accountID)).sorted()
        let categories = Set(findings.map(\.category)).sorted().map(\.rawValue)
        if !accounts.isEmpty { attributes["accounts"] = stringArray(accounts) }
        if !categories.isEmpty { attributes["categories"] = stringArray(categories) }
        return attributes
    }

    private static func stringArray(_ values: [String]) -> SNSMessageAttribute {
        SNSMessageAttribute(dataType: "String.Array", value: "[" + values.map(JSONString.quote).joined(separator: ",") + "]")
    }
}
