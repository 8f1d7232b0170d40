import TrailWardenExports
import TrailWardenVocabulary

/// The report's findings as the exports take them, in the report's order
/// (per account: posture findings, then each chain's): the one place that maps
/// the report's finding type to `ExportedFinding`, for the ASFF and OCSF renderers.
enum ReportExportFindings {
    static func of(_ report: ComplianceReport) -> [ExportedFinding] {
        let provenance = ExportProvenance(callers: Array(Set(report.runs.map(\.caller))).sorted(),
                                          configurationSHA256: Array(Set(report.runs.compactMap(\.configurationSHA256))).sorted(),
                                          runs: report.runs.map(\.id))
        return report.accounts.flatMap { account in
            account.postureFindings.map { exported($0, accountID: account.accountID, trailARN: $0.object, sourceRegion: nil, provenance) }
                + account.chains.flatMap { chain in
                    chain.findings.map { exported($0, accountID: account.accountID, trailARN: chain.trailARN, sourceRegion: chain.chain.sourceRegion,
                                                  provenance) }
                }
        }
    }

    /// A resolved finding was last written when it was resolved; an open one when last seen.
    private static func exported(_ finding: ComplianceReport.Finding, accountID: String, trailARN: String,
                                 sourceRegion: String?, _ provenance: ExportProvenance) -> ExportedFinding {
        ExportedFinding(identity: FindingIdentity(accountID: accountID, trailARN: trailARN, sourceRegion: sourceRegion,
                                                  kind: finding.kind, object: finding.object),
                        message: finding.message, firstSeen: finding.firstSeen, lastSeen: finding.lastSeen, status: finding.status,
                        updatedAt: max(finding.lastSeen, finding.resolvedAt ?? finding.lastSeen), provenance: provenance)
    }
}
