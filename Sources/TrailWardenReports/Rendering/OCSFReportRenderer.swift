import TrailWardenExports

/// The report's findings as OCSF Detection Finding events, one JSON object a
/// line (JSON Lines), as Security Lake custom sources and SIEMs ingest them.
enum OCSFReportRenderer {
    static func renderer(_ head: ComplianceReport, spool: any ReportSpool) -> ReportExportFindings {
        ReportExportFindings(format: .ocsf, head: head, spool: spool) { try OCSFDetectionFinding($0).json() + "\n" }
    }
}
