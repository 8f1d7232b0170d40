import Foundation
import TrailWardenCore
import TrailWardenVocabulary

/// The report as one self-contained HTML page for people and auditors: a
/// summary, then per account its errors, posture findings and chains (each
/// with a timeline, its unverified spans in text, and its findings), then the runs.
///
/// The page fetches nothing and runs no script; its Content-Security-Policy
/// blocks any fetch, so a mistake shows as a console error instead of a
/// request leaving the auditor's machine.
///
/// Written as the report is read: the accounts to spool part 0; the title, summary and runs,
/// which need every chain's figures, into the layout at the end.
final class HTMLReportRenderer: ReportRenderer {
    static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

    private let spool: any ReportSpool
    private let period: ComplianceReport.Period
    /// Findings listed so far per category: how many, and how many open (for the summary's table).
    private var listed: [String: (count: Int, open: Int)] = [:]
    private var chains = 0

    init(head: ComplianceReport, spool: any ReportSpool) {
        self.spool = spool
        period = head.period
    }

    func begin(_ account: ComplianceReport.Account) throws {
        count(account.postureFindings)
        chains = 0
        var html = "<section class=\"account\">\n<h2>Account \(HTMLText.escape(account.accountID))</h2>\n"
        if !account.errors.isEmpty {
            html += "<h3>Errors</h3>\n" + Self.errorList(account.errors)
        }
        if !account.postureFindings.isEmpty {
            html += "<h3>Trail posture</h3>\n" + Self.findingsTable(account.postureFindings)
        }
        try spool.append(html, to: 0)
    }

    func add(_ chain: ComplianceReport.Chain, of account: ComplianceReport.Account) throws {
        count(chain.findings)
        chains += 1
        try spool.append(Self.chainArticle(chain, period: period), to: 0)
    }

    func end(_ account: ComplianceReport.Account) throws {
        try spool.append((chains == 0 ? "<p class=\"none\">No chains.</p>\n" : "") + "</section>\n", to: 0)
    }

    private func count(_ findings: [ComplianceReport.Finding]) {
        for finding in findings {
            let counts = listed[finding.category.rawValue, default: (0, 0)]
            listed[finding.category.rawValue] = (counts.count + 1, counts.open + (finding.isOpen ? 1 : 0))
        }
    }

    func finish(_ report: ComplianceReport) -> ReportLayout {
        let period = "\(ReportText.time(report.period.from)) to \(ReportText.time(report.period.to))"
        let page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="\(Self.contentSecurityPolicy)">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>TrailWarden compliance report, \(period)</title>
        <style>
        \(HTMLStyle.sheet)
        </style>
        </head>
        <body>
        \(TimelineSVG.definitions)
        <header>
        <h1>CloudTrail integrity report</h1>
        <p class="meta">Period \(period) (UTC). Generated \(ReportText.time(report.generatedAt)). \
        Accounts: \(report.accountFilter.isEmpty ? "all" : HTMLText.escape(report.accountFilter.joined(separator: ", "))). \
        \(HTMLText.escape(ReportText.provenance(report))).</p>
        </header>

        """
        return ReportLayout(format: .html, main: [.text(page + summary(report)), .part(0),
                                                  .text(Self.runsSection(report.runs) + "</body>\n</html>\n")])
    }

    private func summary(_ report: ComplianceReport) -> String {
        let totals = report.summary
        let rows: [(String, String)] = [
            ("Accounts", "\(totals.accounts)"),
            ("Chains", "\(totals.chains)"),
            ("Coverage by verified digests", "\(ReportText.percent(totals.coverage))%"),
        ] + ReportText.validationRows(totals) + [
            ("Findings (open / resolved)", "\(totals.findings) (\(totals.openFindings) / \(totals.resolvedFindings))"),
            ("Errors", "\(totals.errors)"),
        ]
        var html = "<section class=\"summary\">\n<h2>Organization summary</h2>\n<table class=\"summary\">\n"
        for (name, value) in rows {
            html += "<tr><th>\(name)</th><td class=\"number\">\(value)</td></tr>\n"
        }
        html += "</table>\n"
        html += "<table class=\"summary categories\">\n<tr><th>Category</th><th class=\"number\">Findings</th><th class=\"number\">Open</th><th class=\"number\">Resolved</th></tr>\n"
        for category in ReportText.categories(totals.findingsByCategory) {
            let inCategory = listed[category.name, default: (0, 0)]
            html += "<tr><td>\(HTMLText.escape(category.label))</td><td class=\"number\">\(category.count)</td>"
            html += "<td class=\"number\">\(inCategory.open)</td><td class=\"number\">\(inCategory.count - inCategory.open)</td></tr>\n"
        }
        if totals.findingsByCategory.isEmpty {
            html += "<tr><td colspan=\"4\" class=\"none\">No findings.</td></tr>\n"
        }
        html += "</table>\n"
        html += "<p>Timeline states, by colour and pattern:</p>\n\(TimelineSVG.legend)\n</section>\n"
        return html
    }

    private static func chainArticle(_ chain: ComplianceReport.Chain, period: ComplianceReport.Period) -> String {
        let identity = chain.chain
        let counts = chain.counts
        let title = "\(identity.trailName) · \(identity.sourceRegion)"
        var html = "<article class=\"chain\">\n<h3>\(HTMLText.escape(title))</h3>\n"
        html += "<p class=\"identity\"><code>\(HTMLText.escape(chain.trailARN))</code> · <code>\(HTMLText.escape(ReportText.location(identity)))</code>"
        html += " · last scanned \(chain.lastScanned.map(ReportText.time) ?? "never")</p>\n"
        html += "<p class=\"identity\">Coverage \(ReportText.percent(chain.coverage))% · digests \(counts.allValidDigests) valid, "
        html += "\(counts.allInvalidDigests) invalid · log files \(counts.validLogs) valid, \(counts.invalidLogs) invalid · "
        html += "findings \(chain.findings.count) (\(chain.openFindings) open) · errors \(chain.errors.count)</p>\n"
        html += TimelineSVG.chart(chain.timeline, period: period, label: "Timeline of \(title)") + "\n"
        html += TimelineSVG.axis(period) + TimelineSVG.spanList(chain)
        if !chain.errors.isEmpty {
            html += errorList(chain.errors)
        }
        html += chain.findings.isEmpty ? "<p class=\"none\">No findings.</p>\n" : findingsTable(chain.findings)
        return html + "</article>\n"
    }

    private static func errorList(_ errors: [ComplianceReport.RunError]) -> String {
        "<ul class=\"errors\">\n"
            + errors.map { "<li>Run \($0.run): <span class=\"message\">\(HTMLText.escape($0.message))</span></li>\n" }.joined()
            + "</ul>\n"
    }

    private static func findingsTable(_ findings: [ComplianceReport.Finding]) -> String {
        var html = "<table class=\"findings\">\n<tr><th>Kind</th><th>Object</th><th>Status</th><th>First seen</th><th>Last seen</th><th>Message</th></tr>\n"
        for finding in findings {
            let status = HTMLText.escape(finding.status.rawValue)
            let resolved = finding.resolvedAt.map { "<br>\(ReportText.time($0))" } ?? ""
            html += "<tr class=\"finding\"><td>\(HTMLText.escape(finding.kind.rawValue))</td><td class=\"object\">\(HTMLText.escape(finding.object))</td>"
            html += "<td class=\"status-\(status)\">\(status)\(resolved)</td>"
            html += "<td class=\"time\">\(ReportText.time(finding.firstSeen))<br>run \(finding.firstSeenRun)</td>"
            html += "<td class=\"time\">\(ReportText.time(finding.lastSeen))<br>run \(finding.lastSeenRun)</td>"
            html += "<td class=\"message\">\(HTMLText.escape(finding.message))</td></tr>\n"
        }
        return html + "</table>\n"
    }

    private static func runsSection(_ runs: [ComplianceReport.Run]) -> String {
        var html = "<section class=\"runs\">\n<h2>Runs</h2>\n"
        guard !runs.isEmpty else { return html + "<p class=\"none\">No runs.</p>\n</section>\n" }
        html += "<table class=\"runs\">\n<tr><th class=\"number\">Run</th><th>Started</th><th>Finished</th><th>Caller</th><th>Build</th><th>Status</th><th>Alarms</th><th>Errors</th></tr>\n"
        for run in runs {
            html += "<tr class=\"run\"><td class=\"number\">\(run.id)</td><td class=\"time\">\(ReportText.time(run.startedAt))</td>"
            html += "<td class=\"time\">\(run.finishedAt.map(ReportText.time) ?? "not finished")</td><td class=\"object\">\(HTMLText.escape(run.caller))</td>"
            html += "<td class=\"object\">\(HTMLText.escape(ReportText.runBuild(run)))</td><td>\(HTMLText.escape(run.status.rawValue))</td><td>"
            html += run.alarms.isEmpty ? "<span class=\"none\">none</span>"
                : "<ul>" + run.alarms.map { "<li>\(HTMLText.escape(ReportText.alarm($0)))</li>" }.joined() + "</ul>"
            html += "</td><td>"
            html += run.errors.isEmpty ? "<span class=\"none\">none</span>"
                : "<ul class=\"errors\">" + run.errors.map { "<li class=\"message\">\(HTMLText.escape($0))</li>" }.joined() + "</ul>"
            html += "</td></tr>\n"
        }
        return html + "</table>\n</section>\n"
    }
}
