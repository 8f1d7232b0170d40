import TrailWardenExports

/// The report's findings as one JSON array of ASFF findings, one finding a line:
/// what `aws securityhub batch-import-findings --findings file://…` takes, in
/// batches of 100. Each finding goes to its own account's default product in its
/// own region (`ASFFDestination`), so each account can import its own.
enum ASFFReportRenderer {
    static func renderer(_ head: ComplianceReport, spool: any ReportSpool) -> ReportExportFindings {
        ReportExportFindings(format: .asff, head: head, spool: spool) { finding in
            let destination = ASFFDestination(accountID: finding.identity.accountID, region: finding.identity.region ?? "us-east-1")
            return try ASFFFinding(finding, destination: destination).json()
        }
    }
}
