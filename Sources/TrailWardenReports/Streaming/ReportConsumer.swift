/// What takes a report as it is read: each account (without its chains) when it begins, then
/// its chains one at a time, then its end. A report's accounts and chains are never all held:
/// a renderer writes each to its spool and drops it.
protocol ReportConsumer: AnyObject {
    /// An account begins: its errors and posture findings, with `chains` empty.
    func begin(_ account: ComplianceReport.Account) throws
    func add(_ chain: ComplianceReport.Chain, of account: ComplianceReport.Account) throws
    func end(_ account: ComplianceReport.Account) throws
}

/// A format written as the report is read: what depends on every chain (the summary) is written
/// by `finish`, which lays out the final files from the frame and the spooled parts.
protocol ReportRenderer: ReportConsumer {
    /// The files, from the frame (the report with its summary and runs, without accounts).
    func finish(_ frame: ComplianceReport) throws -> ReportLayout
}

/// The accounts as one model again: for `ComplianceReportSource.report()`, the report in memory.
final class ReportCollector: ReportConsumer {
    private(set) var accounts: [ComplianceReport.Account] = []

    func begin(_ account: ComplianceReport.Account) { accounts.append(account) }
    func add(_ chain: ComplianceReport.Chain, of account: ComplianceReport.Account) { accounts[accounts.count - 1].chains.append(chain) }
    func end(_ account: ComplianceReport.Account) {}
}
