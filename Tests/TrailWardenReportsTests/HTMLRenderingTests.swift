import Foundation
import Testing
@testable import TrailWardenReports
import TrailWardenVocabulary

@Suite struct HTMLRenderingTests {
    static func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test func hostileTextIsEscapedEverywhere() throws {
        let html = try render(ReportFixture.report, as: .html).text
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("\"onload="))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;onload=alert(2)&#39;,x&amp;y.json.gz"))
        #expect(html.contains("=HYPERLINK(&quot;https://evil.example/x&quot;,&quot;open me&quot;)"))
    }

    @Test func eachChainHasOneTimelineWithOneRectPerSpan() throws {
        let html = try render(ReportFixture.report, as: .html).text
        let chains = ReportFixture.report.accounts.flatMap(\.chains)
        #expect(Self.occurrences(of: "<svg class=\"timeline\"", in: html) == chains.count)
        // One rect per span, one per legend swatch, one per row of the unverified-span lists.
        #expect(Self.occurrences(of: "<rect class=\"span-", in: html)
            == chains.map(\.timeline.count).reduce(0, +) + ComplianceReport.SpanState.allCases.count
            + chains.map(\.unverifiedSpans.count).reduce(0, +))
        #expect(html.contains("<title>missing: 2026-11-04T00:00:00Z to 2026-11-04T02:00:00Z</title>"))
        // The five-minute invalid span of a week is widened to stay visible, centred on its true middle.
        #expect(html.contains("<rect class=\"span-invalid widened\" x=\"568.677\" y=\"0\" width=\"6.000\""))
        #expect(html.contains("<tr class=\"span-row\"><td><span class=\"swatch\">"))
        #expect(Self.occurrences(of: "<tr class=\"finding\">", in: html) == ReportFixture.findingsInOrder.count)
        #expect(Self.occurrences(of: "<tr class=\"run\">", in: html) == 2)
    }

    @Test func theVersionRunsAndEachRunsIdentityAndConfigurationAreShown() throws {
        let html = try render(ReportFixture.report, as: .html).text
        #expect(html.contains("TrailWarden \(TrailWardenVersion.current), from runs 1, 2.</p>"))
        #expect(html.contains("<td class=\"object\">arn:aws:sts::999988887777:assumed-role/Auditor/ci</td>"
            + "<td class=\"object\">TrailWarden 0.8.1, configuration SHA-256 \(ReportFixture.configurationSHA256)</td>"))
        #expect(html.contains("<td class=\"object\">TrailWarden unknown, configuration SHA-256 unknown</td>"))
        #expect(html.contains("<tr><th>Digest validations valid / invalid (summed over 2 runs)</th><td class=\"number\">472 / 2</td></tr>"))
    }

    @Test func thePageFetchesNothing() throws {
        let html = try render(ReportFixture.report, as: .html).text
        #expect(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"))
        let lowered = html.lowercased()
        for reference in ["src=", "srcset=", "href=", "@import", "<link", "<iframe", "<object", "<embed", "xlink:", "action="] {
            #expect(!lowered.contains(reference), "\(reference)")
        }
        // The only url() references are to the page's own patterns, each defined once.
        let urlReferences = lowered.components(separatedBy: "url(").dropFirst()
        #expect(urlReferences.count == TimelineSVG.patternIDs.count)
        #expect(urlReferences.allSatisfy { reference in TimelineSVG.patternIDs.contains { reference.hasPrefix("#\($0))") } })
        for id in TimelineSVG.patternIDs {
            #expect(Self.occurrences(of: "<pattern id=\"\(id)\"", in: html) == 1)
        }
    }
}
