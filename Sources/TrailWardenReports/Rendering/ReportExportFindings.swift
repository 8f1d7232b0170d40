import TrailWardenExports
import TrailWardenVocabulary

/// The report's findings as the exports take them, in the report's order
/// (per account: posture findings, then each chain's): the one place that maps
/// the report's finding type to `ExportedFinding`, for the ASFF and OCSF renderers,
/// which write each finding to spool part 0 as its account or chain is read.
final class ReportExportFindings: ReportRenderer {
    private let spool: any ReportSpool
    private let provenance: ExportProvenance
    private let format: ReportFormat
    /// One exported finding as its line of the export.
    private let line: (ExportedFinding) throws -> String
    private var count = 0

    init(format: ReportFormat, head: ComplianceReport, spool: any ReportSpool, line: @escaping (ExportedFinding) throws -> String) {
        self.spool = spool
        self.format = format
        self.line = line
        provenance = ExportProvenance(callers: Array(Set(head.runs.map(\.caller))).sorted(),
                                      configurationSHA256: Array(Set(head.runs.compactMap(\.configurationSHA256))).sorted(),
                                      runs: head.runs.map(\.id))
    }

    func begin(_ account: ComplianceReport.Account) throws {
        try write(account.postureFindings.map { exported($0, .posture(accountID: account.accountID, kind: $0.kind, object: $0.object)) })
    }

    func add(_ chain: ComplianceReport.Chain, of account: ComplianceReport.Account) throws {
        try write(chain.findings.map {
            exported($0, FindingIdentity(accountID: account.accountID, trailARN: chain.trailARN, sourceRegion: chain.chain.sourceRegion,
                                         kind: $0.kind, object: $0.object))
        })
    }

    func end(_ account: ComplianceReport.Account) {}

    /// ASFF: one JSON array, a finding a line; OCSF: JSON Lines.
    func finish(_ frame: ComplianceReport) -> ReportLayout {
        guard format == .asff else { return ReportLayout(format: format, main: [.part(0)]) }
        return ReportLayout(format: format, main: count == 0 ? [.text("[]\n")] : [.text("[\n"), .part(0), .text("\n]\n")])
    }

    private func write(_ findings: [ExportedFinding]) throws {
        for finding in findings {
            let separator = format == .asff && count > 0 ? ",\n" : ""
            try spool.append(separator + (try line(finding)), to: 0)
            count += 1
        }
    }

    /// A resolved finding was last written when it was resolved; an open one when last seen.
    private func exported(_ finding: ComplianceReport.Finding, _ identity: FindingIdentity) -> ExportedFinding {
        ExportedFinding(identity: identity, message: finding.message, firstSeen: finding.firstSeen, lastSeen: finding.lastSeen, status: finding.status,
                        updatedAt: max(finding.lastSeen, finding.resolvedAt ?? finding.lastSeen), provenance: provenance)
    }
}
