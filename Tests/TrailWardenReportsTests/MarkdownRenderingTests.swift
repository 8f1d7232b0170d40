import Testing
import TrailWardenReports
import TrailWardenTestSupport
import TrailWardenVocabulary

@Suite struct MarkdownRenderingTests {
    @Test func everyTableRowHasItsHeadersNumberOfColumns() throws {
        let text = try render(ReportFixture.report, as: .markdown).text
        let tables = MarkdownTables.tables(text)
        #expect(tables.count == 3)
        for table in tables {
            let columns = MarkdownTables.cells(table[0]).count
            for row in table {
                #expect(row.hasSuffix(" |"), "\(row)")
                #expect(MarkdownTables.cells(row).count == columns, "\(row)")
            }
        }
    }

    @Test func theFindingsTableHoldsEveryFindingsObjectAndFlatMessage() throws {
        let text = try render(ReportFixture.report, as: .markdown).text
        let findings = try #require(MarkdownTables.tables(text).last)
        #expect(MarkdownTables.cells(findings[0]) == ["Account", "Chain", "Category", "Kind", "Object", "Status", "First seen", "Last seen", "Message"])
        let rows = findings.dropFirst(2).map(MarkdownTables.cells)
        let expected = ReportFixture.findingsInOrder
        #expect(rows.count == expected.count)
        for (row, (account, _, finding)) in zip(rows, expected) {
            #expect(row[0] == account)
            #expect(row[4] == finding.object)
            #expect(row[5] == finding.status.rawValue)
            let flatMessage = finding.message.replacingOccurrences(of: "\t", with: " · ").replacingOccurrences(of: "\r\n", with: " ")
                .replacingOccurrences(of: "\n", with: " ")
            #expect(row[8] == flatMessage)
        }
        #expect(!text.contains("<script>"))
        #expect(!text.contains("\t"))
    }

    @Test func theSummaryChainsAndRunsAreListed() throws {
        let text = try render(ReportFixture.report, as: .markdown).text
        for line in ["| Accounts | 2 |", "| Chains | 3 |", "| Coverage by verified digests | 88.67% |",
                     "| Digest validations valid / invalid (summed over 2 runs) | 472 / 2 |",
                     "| Log file validations valid / invalid (summed over 2 runs) | 2000 / 1 |",
                     "| Findings (open / resolved) | 7 (4 / 3) |", "| Errors | 2 |", "| trail posture | 2 |"] {
            #expect(text.contains(line + "\n"), "\(line)")
        }
        #expect(text.contains("- org-trail us-east-1 (s3://org-trail-bucket/logs/): coverage 80.35%"))
        #expect(text.contains("coverage 80.35%, digests 160 valid / 1 invalid"))
        #expect(text.contains("not verified: invalid 2026-11-03T00:00:00Z/2026-11-03T01:00:00Z; missing"))
        #expect(text.contains("**Error** (run 2): AssumeRole"))
        #expect(text.contains("- Run 2: incomplete, started 2026-11-07T00:00:00Z"))
        #expect(text.contains("; TrailWarden \(TrailWardenVersion.current), from runs 1, 2.\n"))
        #expect(text.contains("by arn:aws:sts::999988887777:assumed-role/Auditor/ci, TrailWarden 0.8.1, configuration SHA-256 \(ReportFixture.configurationSHA256)"))
        #expect(text.contains("by archive /srv/archive, TrailWarden unknown, configuration SHA-256 unknown"))
        #expect(text.contains("webhook:https://hooks.example.com/trailwarden failed: 2 findings, 3 attempts (HTTP 500)"))
    }
}
