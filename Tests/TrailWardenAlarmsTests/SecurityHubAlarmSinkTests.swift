import Foundation
import Testing
import TrailWardenAWS
import TrailWardenTestSupport
import TrailWardenVocabulary
@testable import TrailWardenAlarms

/// Security Hub alarms against moto's BatchImportFindings, read back with GetFindings.
@Suite struct SecurityHubAlarmSinkTests {
    /// moto's account for the default test credentials.
    private static let account = "123456789012"

    private func sink(_ announcement: SecurityHubAlarmSink.Announcement, region: String) throws -> SecurityHubAlarmSink {
        SecurityHubAlarmSink(client: SecurityHubClient(transport: try Emulator.transport(), region: region), productArn: nil,
                             announcement: announcement, importingAccount: { Self.account })
    }

    /// What moto holds, by Id.
    private func findings(in region: String) throws -> [String: [String: Any]] {
        let all = try #require(try Emulator.admin(["securityhub-findings", region]) as? [[String: Any]])
        return Dictionary(all.map { ($0["Id"] as? String ?? "", $0) }, uniquingKeysWith: { $1 })
    }

    @Test func newFindingsAreImportedOnceEachInBatchesOfAHundredAndResolvedByReimport() async throws {
        let region = "ap-southeast-2"
        let notice = SampleNotices.notice(findings: 230)
        try await sink(.findings, region: region).deliver(notice)
        var held = try findings(in: region)
        let ids = notice.findings.map(\.identity.uid)
        #expect(Set(ids).count == 230 && ids.allSatisfy { held[$0] != nil })
        let first = try #require(held[ids[0]])
        #expect(first["AwsAccountId"] as? String == Self.account && first["RecordState"] as? String == "ACTIVE")
        #expect(first["ProductArn"] as? String == "arn:aws:securityhub:\(region):\(Self.account):product/\(Self.account)/default")
        #expect((first["Resources"] as? [[String: Any]])?.first?["Id"] as? String
                == "arn:aws:s3:::trail-bucket/AWSLogs/111111111111/CloudTrail/us-east-1/2026/01/01/file-0.json.gz")

        // Delivered again (a retry), nothing is added; resolved, the resolution target archives it.
        try await sink(.findings, region: region).deliver(notice)
        #expect(try findings(in: region).count == held.count)
        var resolved = SampleNotices.notice(findings: 2, finishedAt: SampleNotices.finishedAt.addingTimeInterval(86_400))
        resolved.findings[0].status = .resolved
        let resolutions = try sink(.resolutions, region: region)
        #expect(!resolutions.takes(resolved.findings[1]) && resolutions.takes(resolved.findings[0]))
        try await resolutions.deliver(resolved)
        held = try findings(in: region)
        #expect(held[ids[0]]?["RecordState"] as? String == "ARCHIVED")
        #expect(held[ids[0]]?["UpdatedAt"] as? String == "2026-01-02T05:21:42Z")
        #expect(held[ids[1]]?["RecordState"] as? String == "ACTIVE")
    }

    @Test func theTwoTargetsAreNamedApartAndATestImportsOneArchivedFinding() async throws {
        let region = "ap-south-1"
        #expect(try sink(.findings, region: region).target == "securityhub:default@ap-south-1")
        #expect(try sink(.resolutions, region: region).target == "securityhub-resolved:default@ap-south-1")
        var notice = SampleNotices.notice(findings: 0)
        notice.isTest = true
        try await sink(.findings, region: region).deliver(notice)
        let test = try #require(try findings(in: region)["trailwarden-alarm-test-\(Self.account)"])
        #expect(test["RecordState"] as? String == "ARCHIVED")
        #expect((test["Severity"] as? [String: Any])?["Label"] as? String == "INFORMATIONAL")
    }
}
