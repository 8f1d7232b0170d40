import Foundation
import Testing
import TrailWardenAWS
import TrailWardenTestSupport
@testable import TrailWardenAlarms

/// SNS alarms against moto: a topic subscribed by an SQS queue, read back in SNS's JSON envelope.
@Suite struct SNSAlarmSinkTests {
    private func subscribedQueue() throws -> (topicARN: String, queueURL: String) {
        let topic = try #require(try Emulator.admin(["subscribed-queue", "tw-alarms-\(UUID().uuidString.prefix(8))", "us-east-1"]) as? [String: String])
        return (try #require(topic["TopicArn"]), try #require(topic["QueueUrl"]))
    }

    private func received(_ queueURL: String) throws -> [[String: Any]] {
        try #require(try Emulator.admin(["receive", queueURL, "us-east-1"]) as? [[String: Any]])
    }

    private func attributes(_ message: [String: Any]) throws -> [String: [String: String]] {
        try #require(message["MessageAttributes"] as? [String: [String: String]])
    }

    @Test func aNoticeArrivesWithSubjectBodyAndFilterAttributes() async throws {
        let (topicARN, queueURL) = try subscribedQueue()
        let notice = SampleNotices.notice(findings: 7)
        let sink = SNSAlarmSink(client: SNSClient(transport: try Emulator.transport(), region: "us-east-1"), topicARN: topicARN)
        #expect(sink.target == "sns:" + topicARN)
        try await sink.deliver(notice)

        let messages = try received(queueURL)
        try #require(messages.count == 1)
        #expect(messages[0]["Subject"] as? String == "TrailWarden: 7 new findings in 2 accounts (scan 12)")
        let body = try #require(messages[0]["Message"] as? String)
        #expect(body == AlarmText(notice).body)
        #expect(SampleNotices.findingIndexes(in: body).sorted() == Array(0..<7))
        let attributes = try attributes(messages[0])
        #expect(attributes["event"] == ["Type": "String", "Value": "findings"])
        #expect(attributes["runId"] == ["Type": "Number", "Value": "12"])
        #expect(attributes["findings"] == ["Type": "Number", "Value": "7"])
        #expect(attributes["accounts"] == ["Type": "String.Array", "Value": #"["111111111111","222222222222"]"#])
        #expect(attributes["categories"]?["Value"] == #"["invalid-digest","invalid-log","missing-digests","chain-break","unreferenced-log","posture"]"#)
    }

    @Test func aTestNoticeIsMarkedAsATestEvent() async throws {
        let (topicARN, queueURL) = try subscribedQueue()
        var notice = SampleNotices.notice(findings: 0)
        notice.isTest = true
        try await SNSAlarmSink(client: SNSClient(transport: try Emulator.transport(), region: "us-east-1"), topicARN: topicARN).deliver(notice)
        let messages = try received(queueURL)
        try #require(messages.count == 1)
        #expect(messages[0]["Subject"] as? String == "TrailWarden TEST message (no findings)")
        #expect((messages[0]["Message"] as? String)?.hasPrefix("TEST MESSAGE") == true)
        let attributes = try attributes(messages[0])
        #expect(attributes["event"]?["Value"] == "test")
        #expect(attributes["findings"]?["Value"] == "0")
        #expect(attributes["accounts"] == nil)
    }

    @Test func anOversizedNoticeArrivesInPartsCarryingEveryFindingOnce() async throws {
        let (topicARN, queueURL) = try subscribedQueue()
        let notice = SampleNotices.notice(findings: 5_000, accounts: ["111111111111", "222222222222", "333333333333"], padding: 100)
        let sink = SNSAlarmSink(client: SNSClient(transport: try Emulator.transport(), region: "us-east-1"), topicARN: topicARN)
        try await sink.deliver(notice)

        let messages = try received(queueURL)
        #expect(messages.count > 5)
        var indexes = [Int]()
        var attributeFindings = 0
        for message in messages {
            let subject = try #require(message["Subject"] as? String)
            let body = try #require(message["Message"] as? String)
            let label = try #require(subject.range(of: "(part ", options: .backwards)).lowerBound
            #expect(subject.hasSuffix("/\(messages.count))"))
            #expect(body.hasPrefix(subject + "\n"))
            #expect(body.utf8.count <= SNSAlarmSink.maximumMessageBytes, "\(subject[label...])")
            let carried = SampleNotices.findingIndexes(in: body)
            #expect(try attributes(message)["findings"]?["Value"] == String(carried.count))
            attributeFindings += carried.count
            indexes += carried
        }
        #expect(indexes.sorted() == Array(0..<5_000))
        #expect(attributeFindings == 5_000)
    }

    /// moto does not count attributes toward the limit; SNS does.
    @Test func everyPartStaysWithinSNSLimitWithItsAttributes() {
        let notice = SampleNotices.notice(findings: 5_000, accounts: ["111111111111", "222222222222", "333333333333"], padding: 100)
        let sink = SNSAlarmSink(client: SNSClient(transport: AWSTransport(http: Emulator.http, credentials: StaticCredentialProvider(Emulator.defaultCredentials)),
                                                  region: "us-east-1"),
                                topicARN: "arn:aws:sns:us-east-1:111111111111:alarms")
        let parts = sink.messages(for: notice)
        #expect(parts.count > 1)
        for part in parts {
            let attributes = SNSAlarmSink.attributes(of: part.findings, notice: notice)
            let size = part.body.utf8.count + part.subject.utf8.count + attributes.reduce(0) { $0 + $1.value.byteCount(name: $1.key) }
            #expect(size <= SNSAlarmSink.maximumMessageBytes)
            #expect(attributes.count <= 10)
        }
        #expect(parts.flatMap(\.findings).count == 5_000)
    }
}
