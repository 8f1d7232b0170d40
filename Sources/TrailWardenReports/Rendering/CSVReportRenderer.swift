import Foundation
import TrailWardenVocabulary

/// The report as three CSV tables: one row per finding (the main file), one row
/// per chain (the companion `-chains.csv`) and one row per run (`-runs.csv`: who
/// ran it, with which build and configuration), for spreadsheets and audits.
enum CSVReportRenderer {
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

    /// Posture findings first in each account (their trail ARN is their object,
    /// and they have no source region), then each chain's findings.
    static func findingsTable(_ report: ComplianceReport) -> String {
        var table = CSVTable(header: findingsHeader)
        for account in report.accounts {
            for finding in account.postureFindings {
                table.append(row(finding, accountID: account.accountID, trailARN: finding.object, sourceRegion: ""))
            }
            for chain in account.chains {
                for finding in chain.findings {
                    table.append(row(finding, accountID: account.accountID, trailARN: chain.trailARN,
                                     sourceRegion: chain.chain.sourceRegion))
                }
            }
        }
        return table.text
    }

    static func chainsTable(_ report: ComplianceReport) -> String {
        var table = CSVTable(header: chainsHeader)
        for account in report.accounts {
            for chain in account.chains {
                table.append([
                    account.accountID, chain.trailARN, chain.chain.bucket, chain.chain.prefix ?? "", chain.chain.sourceRegion,
                    ReportText.seconds(chain.verifiedSeconds), ReportText.seconds(chain.periodSeconds),
                    ReportText.percent(chain.coverage), String(chain.counts.allValidDigests),
                    String(chain.counts.allInvalidDigests), String(chain.counts.validLogs), String(chain.counts.invalidLogs),
                    String(chain.findings.count), String(chain.openFindings), String(chain.errors.count),
                    chain.lastScanned.map(ReportText.time) ?? "", ReportText.unverifiedSpans(chain),
                ])
            }
        }
        return table.text
    }

    static func runsTable(_ report: ComplianceReport) -> String {
        var table = CSVTable(header: runsHeader)
        for run in report.runs {
            table.append([
                String(run.id), ReportText.time(run.startedAt), run.finishedAt.map(ReportText.time) ?? "", run.caller,
                run.status.rawValue, run.trailwardenVersion ?? "", run.configurationSHA256 ?? "", report.trailwardenVersion,
            ])
        }
        return table.text
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
