import Foundation
import Testing
import TrailWardenReports

@Suite struct JSONRenderingTests {
    @Test func jsonDecodesBackToTheSameReport() throws {
        let rendered = try render(ReportFixture.report, as: .json)
        #expect(rendered.companions.isEmpty)
        #expect(rendered.combinedText == rendered.text)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let decoded = try decoder.decode(ComplianceReport.self, from: Data(rendered.text.utf8))
        #expect(decoded == ReportFixture.report)
    }

    @Test func jsonHasUTCTimesSortedKeysAndUnescapedSlashes() throws {
        let text = try render(ReportFixture.report, as: .json).text
        #expect(text.contains(#""from" : "2026-11-01T00:00:00Z""#))
        #expect(text.contains(#""generatedAt" : "2026-11-08T09:00:00Z""#))
        #expect(text.contains("s3://org-trail-bucket/"))
        #expect(!text.contains(#"\/"#))
        let keys = ["accountFilter", "accounts", "generatedAt", "period", "runs", "schemaVersion", "summary", "trailwardenVersion"]
        let positions = keys.compactMap { text.range(of: "\n  \"\($0)\" :")?.lowerBound }
        #expect(positions.count == keys.count)
        #expect(positions == positions.sorted())
    }

    /// The summary stays one flat object: the run totals' fields beside the period's own.
    @Test func theSummaryIsOneFlatObjectWithEveryDocumentedField() throws {
        let text = try render(ReportFixture.report, as: .json).text
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(Set(summary.keys) == ["accounts", "chains", "validDigests", "invalidDigests", "validLogs", "invalidLogs", "findings",
                                      "openFindings", "resolvedFindings", "findingsByCategory", "errors", "verifiedSeconds",
                                      "chainSeconds", "validationRuns"])
        #expect(summary["validDigests"] as? Int == 472 && summary["validationRuns"] as? Int == 2)
        let runs = try #require(object["runs"] as? [[String: Any]])
        #expect(runs.first?["configurationSHA256"] as? String == ReportFixture.configurationSHA256)
        #expect(runs.first?["trailwardenVersion"] as? String == "0.8.1" && runs.last?["trailwardenVersion"] == nil)
        #expect((runs.first?["alarms"] as? [[String: Any]])?.first?["run"] as? Int == 1)
    }
}
