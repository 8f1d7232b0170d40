import Foundation
import Testing
import TrailWardenCore
import TrailWardenReports
import TrailWardenTestSupport
import TrailWardenVocabulary

@Suite struct CSVRenderingTests {
    static let findingsHeader = ["account_id", "trail_arn", "source_region", "category", "kind", "object", "status", "first_seen",
                                 "last_seen", "resolved_at", "first_seen_run", "last_seen_run", "message"]
    static let chainsHeader = ["account_id", "trail_arn", "bucket", "prefix", "source_region", "verified_seconds", "period_seconds",
                               "coverage_percent", "valid_digests", "invalid_digests", "valid_logs", "invalid_logs", "findings",
                               "open_findings", "errors", "last_scanned", "unverified_spans"]

    /// Undoes the apostrophe put before fields a spreadsheet would take for formulas.
    static func undefused(_ field: String) -> String {
        guard field.hasPrefix("'"), let second = field.unicodeScalars.dropFirst().first,
              ["=", "+", "-", "@", "\t", "\r"].contains(second) else { return field }
        return String(field.dropFirst())
    }

    @Test func everyFindingRoundTripsThroughAStrictParser() throws {
        let rendered = try render(ReportFixture.report, as: .csv)
        let records = try StrictCSVParser.parse(rendered.text)
        #expect(records.first == Self.findingsHeader)
        let rows = records.dropFirst()
        let expected = ReportFixture.findingsInOrder
        #expect(rows.count == expected.count)
        for (row, (account, chain, finding)) in zip(rows, expected) {
            let time = { (date: Date) in date.formatted(.iso8601) }
            let fields: [String] = [
                account, chain?.trailARN ?? finding.object, chain?.chain.sourceRegion ?? "", finding.category.rawValue, finding.kind.rawValue,
                finding.object, finding.status.rawValue, time(finding.firstSeen), time(finding.lastSeen), finding.resolvedAt.map(time) ?? "",
                String(finding.firstSeenRun), String(finding.lastSeenRun), finding.message,
            ]
            #expect(row.map(Self.undefused) == fields)
        }
    }

    @Test func fieldsThatLookLikeFormulasAreDefused() throws {
        let records = try StrictCSVParser.parse(try render(ReportFixture.report, as: .csv).text)
        let objects = records.dropFirst().map { $0[5] }
        #expect(objects.contains("'" + ReportFixture.formulaObject))
        #expect(objects.allSatisfy { !["=", "+", "-", "@", "\t", "\r"].contains($0.unicodeScalars.first) })
    }

    @Test func theChainsCompanionSummarisesEveryChain() throws {
        let rendered = try render(ReportFixture.report, as: .csv)
        let companion = try #require(rendered.companions.first)
        #expect(rendered.companions.count == 2)
        #expect(companion.nameSuffix == "-chains.csv")
        let records = try StrictCSVParser.parse(companion.text)
        #expect(records.first == Self.chainsHeader)
        #expect(records.count == 4)
        let east = records[1]
        #expect(Array(east[0...4]) == ["111122223333", ReportFixture.orgTrailARN, "org-trail-bucket", "logs", "us-east-1"])
        // 7 days less 1 h invalid, 2 h missing, 6 h without digests and 1 day not scanned.
        #expect(east[5] == "486000")
        #expect(east[6] == "604800")
        #expect(east[7] == "80.35")
        #expect(Array(east[8...15]) == ["160", "1", "900", "1", "3", "2", "0", "2026-11-07T00:00:00Z"])
        #expect(east[16] == "invalid 2026-11-03T00:00:00Z/2026-11-03T01:00:00Z; missing 2026-11-04T00:00:00Z/2026-11-04T02:00:00Z; "
            + "no-digests 2026-11-06T00:00:00Z/2026-11-06T06:00:00Z; not-scanned 2026-11-07T00:00:00Z/2026-11-08T00:00:00Z")
        let other = records[3]
        #expect(other[3] == "")
        #expect(other[7] == "99.95")
        #expect(other[14] == "0")
        #expect(records[2][14] == "1")
    }

    @Test func theRunsCompanionNamesEachRunsIdentityBuildAndConfiguration() throws {
        let rendered = try render(ReportFixture.report, as: .csv)
        let companion = try #require(rendered.companions.last)
        #expect(companion.nameSuffix == "-runs.csv")
        let records = try StrictCSVParser.parse(companion.text)
        #expect(records == [
            ["run_id", "started_at", "finished_at", "caller", "status", "trailwarden_version", "configuration_sha256",
             "report_trailwarden_version"],
            ["1", "2026-11-03T02:00:00Z", "2026-11-03T02:05:00Z", "arn:aws:sts::999988887777:assumed-role/Auditor/ci", "complete",
             "0.8.1", ReportFixture.configurationSHA256, TrailWardenVersion.current],
            ["2", "2026-11-07T00:00:00Z", "2026-11-07T00:10:00Z", "archive /srv/archive", "incomplete", "", "", TrailWardenVersion.current],
        ])
    }

    @Test func standardOutputHasFindingsChainsThenRunsBetweenBlankLines() throws {
        let rendered = try render(ReportFixture.report, as: .csv)
        #expect(rendered.combinedText == ([rendered.text] + rendered.companions.map(\.text)).joined(separator: "\r\n"))
        #expect(rendered.combinedText.contains("\r\n\r\naccount_id,trail_arn,bucket,"))
        #expect(rendered.combinedText.contains("\r\n\r\nrun_id,started_at,"))
    }
}
