import TrailWardenCore
import TrailWardenVocabulary

/// The report as GitHub-flavoured Markdown, for tickets and pull requests: a
/// summary table, one line per chain, every finding in one table, the runs.
///
/// Timelines are not drawn; each chain's line lists its unverified stretches.
///
/// Written as the report is read: the account lines to spool part 0, the finding rows to part 1.
final class MarkdownReportRenderer: ReportRenderer {
    private let spool: any ReportSpool
    private var chains = 0
    private var findingRows = 0

    init(spool: any ReportSpool) {
        self.spool = spool
    }

    /// Lines, each with its line end.
    private func append(_ lines: [String], to part: Int) throws {
        try spool.append(lines.map { $0 + "\n" }.joined(), to: part)
    }

    func begin(_ account: ComplianceReport.Account) throws {
        chains = 0
        var lines = ["### Account \(MarkdownText.escape(account.accountID))", ""]
        for error in account.errors {
            lines.append("- **Error** (run \(error.run)): \(MarkdownText.escape(error.message))")
        }
        if !account.postureFindings.isEmpty {
            let open = account.postureFindings.filter(\.isOpen).count
            lines.append("- Trail posture: \(ReportText.count(account.postureFindings.count, "finding")) (\(open) open)")
        }
        try append(lines, to: 0)
        let accountID = MarkdownText.escape(account.accountID)
        try findings(account.postureFindings.map { Self.row($0, accountID: accountID, where: "trail") })
    }

    func add(_ chain: ComplianceReport.Chain, of account: ComplianceReport.Account) throws {
        chains += 1
        try append([Self.chainLine(chain)], to: 0)
        let place = MarkdownText.escape("\(chain.chain.trailName) \(chain.chain.sourceRegion)")
        try findings(chain.findings.map { Self.row($0, accountID: MarkdownText.escape(account.accountID), where: place) })
    }

    func end(_ account: ComplianceReport.Account) throws {
        try append((chains == 0 ? ["- No chains."] : []) + [""], to: 0)
    }

    private func findings(_ rows: [String]) throws {
        findingRows += rows.count
        try append(rows, to: 1)
    }

    func finish(_ report: ComplianceReport) -> ReportLayout {
        let head = [
            "# CloudTrail integrity report",
            "",
            "Period \(ReportText.time(report.period.from)) to \(ReportText.time(report.period.to)) (UTC), "
                + "generated \(ReportText.time(report.generatedAt)); accounts: "
                + (report.accountFilter.isEmpty ? "all" : MarkdownText.escape(report.accountFilter.joined(separator: ", "))) + "; "
                + MarkdownText.escape(ReportText.provenance(report)) + ".",
            "",
        ] + Self.summary(report) + ["## Accounts", ""]
        let findings = findingRows == 0 ? [.text(Self.text(["## Findings", "", "No findings.", ""]))] : [
            .text(Self.text(["## Findings", "", "| Account | Chain | Category | Kind | Object | Status | First seen | Last seen | Message |",
                             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"])),
            .part(1), .text("\n"),
        ] as [ReportLayout.Segment]
        return ReportLayout(format: .markdown, main: [.text(Self.text(head)), .part(0)] + findings + [.text(Self.text(Self.runs(report.runs)))])
    }

    private static func text(_ lines: [String]) -> String {
        lines.map { $0 + "\n" }.joined()
    }

    private static func summary(_ report: ComplianceReport) -> [String] {
        let totals = report.summary
        var lines = [
            "## Summary", "",
            "| | |", "| --- | ---: |",
            "| Accounts | \(totals.accounts) |",
            "| Chains | \(totals.chains) |",
            "| Coverage by verified digests | \(ReportText.percent(totals.coverage))% |",
        ] + ReportText.validationRows(totals).map { "| \($0.name) | \($0.value) |" } + [
            "| Findings (open / resolved) | \(totals.findings) (\(totals.openFindings) / \(totals.resolvedFindings)) |",
            "| Errors | \(totals.errors) |",
            "",
        ]
        let categories = ReportText.categories(totals.findingsByCategory)
        if !categories.isEmpty {
            lines += ["| Category | Findings |", "| --- | ---: |"]
            lines += categories.map { "| \(MarkdownText.escape($0.label)) | \($0.count) |" }
            lines.append("")
        }
        return lines
    }

    private static func chainLine(_ chain: ComplianceReport.Chain) -> String {
        let identity = chain.chain
        let counts = chain.counts
        var line = "- \(MarkdownText.escape(identity.trailName)) \(MarkdownText.escape(identity.sourceRegion)) "
            + "(\(MarkdownText.escape(ReportText.location(identity)))): coverage \(ReportText.percent(chain.coverage))%, "
            + "digests \(counts.allValidDigests) valid / \(counts.allInvalidDigests) invalid, "
            + "log files \(counts.validLogs) valid / \(counts.invalidLogs) invalid, "
            + "findings \(chain.findings.count) (\(chain.openFindings) open), errors \(chain.errors.count)"
        let unverified = ReportText.unverifiedSpans(chain)
        if !unverified.isEmpty {
            line += "; not verified: \(MarkdownText.escape(unverified))"
        }
        for error in chain.errors {
            line += "; **error** (run \(error.run)): \(MarkdownText.escape(error.message))"
        }
        return line
    }

    private static func row(_ finding: ComplianceReport.Finding, accountID: String, where place: String) -> String {
        let cells = [
            accountID, place, MarkdownText.escape(finding.category.rawValue), MarkdownText.escape(finding.kind.rawValue),
            MarkdownText.escape(finding.object), MarkdownText.escape(finding.status.rawValue), ReportText.time(finding.firstSeen),
            ReportText.time(finding.lastSeen), MarkdownText.escape(finding.message),
        ]
        return "| " + cells.joined(separator: " | ") + " |"
    }

    private static func runs(_ runs: [ComplianceReport.Run]) -> [String] {
        var lines = ["## Runs", ""]
        guard !runs.isEmpty else { return lines + ["No runs."] }
        for run in runs {
            var line = "- Run \(run.id): \(MarkdownText.escape(run.status.rawValue)), started \(ReportText.time(run.startedAt)), "
                + (run.finishedAt.map { "finished \(ReportText.time($0))" } ?? "not finished")
                + ", by \(MarkdownText.escape(run.caller)), \(MarkdownText.escape(ReportText.runBuild(run)))"
            if !run.alarms.isEmpty {
                line += "; alarms: " + run.alarms.map { MarkdownText.escape(ReportText.alarm($0)) }.joined(separator: "; ")
            }
            if !run.errors.isEmpty {
                line += "; errors: " + run.errors.map(MarkdownText.escape).joined(separator: "; ")
            }
            lines.append(line)
        }
        return lines
    }
}
