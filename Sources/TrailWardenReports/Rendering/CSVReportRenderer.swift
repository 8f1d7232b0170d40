import Foundation
import TrailWardenVocabulary

/// The report as three CSV tables: one row per finding (the main file), one row
/// per chain (the companion `-chains.csv`) and one row per run (`-runs.csv`: who
/// ran it, with which build and configuration), for spreadsheets and audits.
/// Findings go to spool part 0 and chains to part 1 as they are read.
final class CSVReportRenderer: ReportRenderer {
    static let findingsHeader = [
        "account_id", "trail_arn", "source_region", "category", "kind", "object", "status", "first_seen", "last_seen",
        "resolved_at", "first_seen_run", "last_seen_run", "message",
    ]

    static let chainsHeader = [
        "account_id", "trail_arn", "bucket", "prefix", "source_region", "verified_seconds", "period_seconds",
        "coverage_percent", "valid_digests", "invalid_digests", "valid_logs", "invalid_logs", "findings", "open_findings",
        "errors", "last_scanned", "unverified_spans",
    ]

    static let runsHeader = [
        "run_id", "started_at", "finished_at", "caller", "status", "trailwarden_version", "configuration_sha256",
        "report_trailwarden_version",
    ]

    private let spool: any ReportSpool

    init(spool: any ReportSpool) {
        self.spool = spool
    }

    /// Posture findings first in each account (their trail ARN is their object,
    /// and they have no source region), then each chain's findings.
    func begin(_ account: ComplianceReport.Account) throws {
        try spool.append(account.postureFindings.map {
            CSVTable.row(Self.row($0, accountID: account.accountID, trailARN: $0.object, sourceRegion: ""))
        }.joined(), to: 0)
    }

    func add(_ chain: ComplianceReport.Chain, of account: ComplianceReport.Account) throws {
        try spool.append(chain.findings.map {
            CSVTable.row(Self.row($0, accountID: account.accountID, trailARN: chain.trailARN, sourceRegion: chain.chain.sourceRegion))
        }.joined(), to: 0)
        try spool.append(CSVTable.row([
            account.accountID, chain.trailARN, chain.chain.bucket, chain.chain.prefix ?? "", chain.chain.sourceRegion,
            ReportText.seconds(chain.verifiedSeconds), ReportText.seconds(chain.periodSeconds),
            ReportText.percent(chain.coverage), String(chain.counts.allValidDigests),
            String(chain.counts.allInvalidDigests), String(chain.counts.validLogs), String(chain.counts.invalidLogs),
            String(chain.findings.count), String(chain.openFindings), String(chain.errors.count),
            chain.lastScanned.map(ReportText.time) ?? "", ReportText.unverifiedSpans(chain),
        ]), to: 1)
    }

    func end(_ account: ComplianceReport.Account) {}

    func finish(_ frame: ComplianceReport) -> ReportLayout {
        let runs = frame.runs.map { run in
            CSVTable.row([
                String(run.id), ReportText.time(run.startedAt), run.finishedAt.map(ReportText.time) ?? "", run.caller,
                run.status.rawValue, run.trailwardenVersion ?? "", run.configurationSHA256 ?? "", frame.trailwardenVersion,
            ])
        }
        return ReportLayout(format: .csv, main: [.text(CSVTable.row(Self.findingsHeader)), .part(0)], companions: [
            ("-chains.csv", [.text(CSVTable.row(Self.chainsHeader)), .part(1)]),
            ("-runs.csv", [.text(CSVTable.row(Self.runsHeader) + runs.joined())]),
        ])
    }

    private static func row(_ finding: ComplianceReport.Finding, accountID: String, trailARN: String,
                            sourceRegion: String) -> [String] {
        [
            accountID, trailARN, sourceRegion, finding.category.rawValue, finding.kind.rawValue, finding.object, finding.status.rawValue,
            ReportText.time(finding.firstSeen), ReportText.time(finding.lastSeen), finding.resolvedAt.map(ReportText.time) ?? "",
            String(finding.firstSeenRun), String(finding.lastSeenRun), finding.message,
        ]
    }
}
