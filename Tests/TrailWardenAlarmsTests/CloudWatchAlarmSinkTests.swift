import Foundation
import Testing
import TrailWardenAWS
import TrailWardenCore
import TrailWardenTestSupport
@testable import TrailWardenAlarms
import TrailWardenVocabulary

/// CloudWatch alarms against moto, read back exactly per metric name and dimensions.
@Suite struct CloudWatchAlarmSinkTests {
    private struct Metric: Hashable {
        var name: String
        var account: String?
    }

    /// Every value recorded in `namespace`, by metric and AccountId dimension.
    private func recorded(_ namespace: String) throws -> [Metric: [Double]] {
        let metrics = try #require(try Emulator.admin(["metrics", namespace, "us-east-1"]) as? [[String: Any]])
        var values = [Metric: [Double]]()
        for metric in metrics {
            let dimensions = try #require(metric["Dimensions"] as? [[String: String]])
            #expect(dimensions.allSatisfy { $0["Name"] == "AccountId" } && dimensions.count <= 1)
            values[Metric(name: try #require(metric["MetricName"] as? String), account: dimensions.first?["Value"])] = metric["Values"] as? [Double]
        }
        return values
    }

    private func sink(_ namespace: String) throws -> CloudWatchAlarmSink {
        CloudWatchAlarmSink(client: CloudWatchClient(transport: try Emulator.transport(), region: "us-east-1"), namespace: namespace, region: "us-east-1")
    }

    @Test func findingsAreCountedPerCategoryPerAccountAndOrganizationWide() async throws {
        let namespace = "TrailWardenTest/\(UUID().uuidString.prefix(8))"
        // Account 333333333333 has no findings: its values are zeros, not missing.
        var notice = SampleNotices.notice(findings: 9, accounts: ["111111111111", "222222222222"], finishedAt: Date())
        notice.accounts.append(AlarmNotice.AccountFigures(accountID: "333333333333", chainsValidated: 5, errors: 0))
        let sink = try sink(namespace)
        #expect(sink.target == "cloudwatch:\(namespace)@us-east-1")
        try await sink.deliver(notice)

        let values = try recorded(namespace)
        // Kinds in turn over two accounts: 111111111111 has findings 0, 6 (invalid log), 2, 8 (missing digests)
        // and 4 (unreferenced log); 222222222222 has 1, 7 (invalid digest), 3 (chain break) and 5 (posture).
        let expected: [String: [String?: Double]] = [
            "InvalidLogs": [nil: 2, "111111111111": 2, "222222222222": 0, "333333333333": 0],
            "InvalidDigests": [nil: 2, "111111111111": 0, "222222222222": 2, "333333333333": 0],
            "MissingDigests": [nil: 2, "111111111111": 2, "222222222222": 0, "333333333333": 0],
            "ChainBreaks": [nil: 1, "111111111111": 0, "222222222222": 1, "333333333333": 0],
            "UnreferencedLogs": [nil: 1, "111111111111": 1, "222222222222": 0, "333333333333": 0],
            "PostureFindings": [nil: 1, "111111111111": 0, "222222222222": 1, "333333333333": 0],
            "ScanErrors": [nil: 2, "111111111111": 0, "222222222222": 1, "333333333333": 0],
            "ChainsValidated": [nil: 26, "111111111111": 10, "222222222222": 11, "333333333333": 5],
            "ScanCompleted": [nil: 1],
        ]
        var wanted = [Metric: [Double]]()
        for (name, byAccount) in expected {
            for (account, value) in byAccount { wanted[Metric(name: name, account: account)] = [value] }
        }
        #expect(values == wanted)
        #expect(Set(FindingCategory.allCases.map(\.metricName)).isSubset(of: expected.keys))
    }

    @Test func valuesAreStampedWithTheScanEnd() async throws {
        let namespace = "TrailWardenTest/\(UUID().uuidString.prefix(8))"
        let finishedAt = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 3_600).rounded(.down))
        try await sink(namespace).deliver(SampleNotices.notice(findings: 1, finishedAt: finishedAt))
        let metrics = try #require(try Emulator.admin(["metrics", namespace, "us-east-1"]) as? [[String: Any]])
        let stamps = Set(metrics.flatMap { $0["Timestamps"] as? [String] ?? [] }.compactMap(CloudTrailTime.parseTimestamp))
        #expect(stamps == [finishedAt])
    }

    @Test func aTestNoticePublishesOnlyAlarmTest() async throws {
        let namespace = "TrailWardenTest/\(UUID().uuidString.prefix(8))"
        var notice = SampleNotices.notice(findings: 3, finishedAt: Date())
        notice.isTest = true
        try await sink(namespace).deliver(notice)
        #expect(try recorded(namespace) == [Metric(name: "AlarmTest", account: nil): [1]])
    }
}
