import Foundation
import Testing
import TrailWardenExports
import TrailWardenTestSupport
import TrailWardenVocabulary
@testable import TrailWardenAlarms
@testable import TrailWardenAWS

/// EventBridge alarms against moto: a rule on the bus sends every `trailwarden` event to an SQS queue.
@Suite struct EventBridgeAlarmSinkTests {
    private func busQueue(_ bus: String) throws -> String {
        try #require((try Emulator.admin(["event-queue", bus, "us-east-1"]) as? [String: String])?["QueueUrl"])
    }

    private func received(_ queueURL: String) throws -> [[String: Any]] {
        try #require(try Emulator.admin(["receive", queueURL, "us-east-1"]) as? [[String: Any]])
    }

    private func sink(_ bus: String) throws -> EventBridgeAlarmSink {
        EventBridgeAlarmSink(client: EventBridgeClient(transport: try Emulator.transport(), region: "us-east-1"), eventBusName: bus,
                             region: "us-east-1")
    }

    @Test func oneEventPerFindingThenOneForTheScanReachARule() async throws {
        let bus = "tw-\(UUID().uuidString.prefix(8))"
        let queue = try busQueue(bus)
        let notice = SampleNotices.notice(findings: 23)
        try await sink(bus).deliver(notice)
        // A call the transport retried (a slow emulator) may put its events twice: ids tell repeats apart.
        let events = try received(queue)
        #expect(events.count >= 24 && events.allSatisfy { $0["source"] as? String == "trailwarden" })
        let findings = events.filter { $0["detail-type"] as? String == "CloudTrail Integrity Finding" }
        let uids = findings.compactMap { (($0["detail"] as? [String: Any])?["finding_info"] as? [String: Any])?["uid"] as? String }
        #expect(Set(uids) == Set(notice.findings.map(\.identity.uid)) && uids.count == findings.count)
        let detail = try #require(findings.first?["detail"] as? [String: Any])
        #expect(detail["class_uid"] as? Int == 2004 && detail["severity_id"] is Int)
        let scans = events.filter { $0["detail-type"] as? String == "TrailWarden Scan Completed" }
        try #require(!scans.isEmpty && scans.count + findings.count == events.count)
        let scan = try #require(scans[0]["detail"] as? [String: Any])
        #expect(scan["runId"] as? Int == 12 && scan["errors"] as? Int == 2 && scan["chainsValidated"] as? Int == 21)
        #expect((scan["newFindings"] as? [String: Int])?["invalid-log"] == 4)
        #expect(scan["version"] as? String == TrailWardenVersion.current)
    }

    @Test func aQuietScanStillSendsItsCompletionAndATestOnlyItsTestEvent() async throws {
        let queue = try busQueue("default")
        let sink = try sink("default")
        #expect(sink.target == "eventbridge:default@us-east-1" && sink.announcesQuietScans)
        try await sink.deliver(SampleNotices.notice(findings: 0, runID: 31))
        var test = SampleNotices.notice(findings: 0)
        test.isTest = true
        try await sink.deliver(test)
        let types = Set(try received(queue).compactMap { $0["detail-type"] as? String })
        #expect(types == ["TrailWarden Alarm Test", "TrailWarden Scan Completed"])
    }

    @Test func batchesKeepToTenEventsAndTheSizeLimit() {
        let small = EventBridgeEntry(source: "s", detailType: "d", detail: "{}", resources: [], time: Date(), eventBusName: "b")
        var large = small
        large.detail = String(repeating: "x", count: 100_000)
        #expect(EventBridgeClient.batches(Array(repeating: small, count: 25)) == [0..<10, 10..<20, 20..<25])
        #expect(EventBridgeClient.batches([large, large, large, small]) == [0..<2, 2..<4])
        #expect(SecurityHubClient.batches(Array(repeating: "{}", count: 250)).map(\.count) == [100, 100, 50])
    }
}
