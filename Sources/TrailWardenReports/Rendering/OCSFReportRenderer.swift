import TrailWardenExports

/// The report's findings as OCSF Detection Finding events, one JSON object a
/// line (JSON Lines), as Security Lake custom sources and SIEMs ingest them.
enum OCSFReportRenderer {
    static func render(_ report: ComplianceReport) throws -> String {
        try ReportExportFindings.of(report).map { try OCSFDetectionFinding($0).json() + "\n" }.joined()
    }
}
