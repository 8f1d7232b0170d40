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
        let keys = ["accountFilter", "accounts", "generatedAt", "period", "runs", "schemaVersion", "summary"]
        let positions = keys.compactMap { text.range(of: "\n  \"\($0)\" :")?.lowerBound }
        #expect(positions.count == keys.count)
        #expect(positions == positions.sorted())
    }
}
