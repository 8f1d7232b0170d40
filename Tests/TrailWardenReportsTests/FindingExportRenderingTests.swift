import Foundation
import Testing
import TrailWardenReports
import TrailWardenVocabulary

/// `--format asff` and `--format ocsf`: every finding of the report, once, with
/// the stable id of its chain, object and kind, open and resolved as the report says.
@Suite struct FindingExportRenderingTests {
    /// The id each of the fixture's findings must have, in the report's order.
    private static var expectedIDs: [String] {
        ReportFixture.findingsInOrder.map { entry in
            FindingIdentity(accountID: entry.account, trailARN: entry.chain?.trailARN ?? entry.finding.object,
                            sourceRegion: entry.chain?.chain.sourceRegion, kind: entry.finding.kind, object: entry.finding.object).uid
        }
    }

    @Test func asffIsOneArrayWithEveryFindingInItsOwnAccount() throws {
        let rendered = try render(ReportFixture.report, as: .asff)
        #expect(rendered.companions.isEmpty && rendered.format == .asff)
        let findings = try #require(try JSONSerialization.jsonObject(with: Data(rendered.text.utf8)) as? [[String: Any]])
        #expect(findings.compactMap { $0["Id"] as? String } == Self.expectedIDs)
        for (finding, entry) in zip(findings, ReportFixture.findingsInOrder) {
            #expect(finding["AwsAccountId"] as? String == entry.account)
            #expect(finding["RecordState"] as? String == (entry.finding.status == .open ? "ACTIVE" : "ARCHIVED"))
            #expect((finding["ProductArn"] as? String)?.hasSuffix(":\(entry.account):product/\(entry.account)/default") == true)
            let fields = finding["ProductFields"] as? [String: String] ?? [:]
            #expect(fields["trailwarden/runs"] == ReportFixture.report.runs.map { String($0.id) }.joined(separator: " "))
            #expect(fields["trailwarden/callers"] == Set(ReportFixture.report.runs.map(\.caller)).sorted().joined(separator: " "))
        }
        #expect(findings.contains { $0["RecordState"] as? String == "ARCHIVED" } && findings.contains { $0["RecordState"] as? String == "ACTIVE" })
    }

    @Test func ocsfIsOneEventALineWithTheSameIds() throws {
        let text = try render(ReportFixture.report, as: .ocsf).text
        #expect(text.hasSuffix("\n"))
        let lines = text.split(separator: "\n")
        let events = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(events.compactMap { ($0["finding_info"] as? [String: Any])?["uid"] as? String } == Self.expectedIDs)
        for (event, entry) in zip(events, ReportFixture.findingsInOrder) {
            #expect(event["status_id"] as? Int == (entry.finding.status == .open ? 1 : 4))
            #expect(event["class_uid"] as? Int == 2004)
            let provenance = (event["unmapped"] as? [String: Any])?["trailwarden"] as? [String: Any]
            #expect(provenance?["runs"] as? [Int] == ReportFixture.report.runs.map { Int($0.id) })
            #expect(provenance?["configurationSHA256"] is [String])
        }
    }

    @Test func exportFormatsAreNamedByFlagAndCompoundExtension() {
        #expect(ReportFormat(formatName: "ASFF") == .asff && ReportFormat(formatName: "ocsf") == .ocsf)
        #expect(ReportFormat(fileName: "out/findings.asff.json") == .asff)
        #expect(ReportFormat(fileName: "findings.OCSF.jsonl") == .ocsf && ReportFormat(fileName: "f.ocsf.json") == .ocsf)
        #expect(ReportFormat(fileName: "findings.json") == .json)
        #expect(ReportFormat(fileName: ".asff.json") == .json)
    }
}
