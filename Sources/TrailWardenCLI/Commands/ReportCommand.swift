import Foundation
import TrailWardenCore
import TrailWardenReports
import TrailWardenState

/// `trailwarden report`: the compliance report of a period, from the state
/// history alone (no AWS call), as JSON, CSV, HTML or Markdown, or its findings as ASFF or OCSF.
enum ReportCommand: Command {
    static let name = "report"
    static let summary = "Write the compliance report of a period from the scan state: json, csv, html, md, asff or ocsf (exit 0, 2 usage, 3 state unreadable or report unwritable)."
    static let options: [OptionSpec] = [
        .single("state", "PATH", "The SQLite state file that scans wrote (required)."),
        .single("from", "TIME", "The start of the period (default: the oldest validated time)."),
        .single("to", "TIME", "The end of the period (default: the newest validated time)."),
        .repeating("account", "ID", "Only this account (repeatable)."),
        .single("format", "json|csv|html|md|asff|ocsf", "The format (default: from --output's extension)."),
        .single("output", "FILE", "Write the report here (CSV: and FILE-chains.csv, FILE-runs.csv beside it) instead of standard output."),
    ]

    static func run(_ arguments: ParsedArguments, output: any OutputSink) async throws -> ExitCode {
        let path = try arguments.required("state")
        let destination = arguments.value("output")
        let format = try format(arguments.value("format"), output: destination)
        let from = try arguments.time("from")
        let to = try arguments.time("to")
        if let from, let to, from > to { throw UsageError("--from must be before --to") }
        let accounts = arguments.all("account")
        if let bad = accounts.first(where: { $0.count != 12 || !$0.allSatisfy(\.isASCII) || !$0.allSatisfy(\.isNumber) }) {
            throw UsageError("--account \(bad): an account ID is 12 digits")
        }
        guard FileManager.default.fileExists(atPath: path) else { throw UsageError("--state \(path): no such state file") }
        let state: SQLiteStateStore
        do {
            state = try SQLiteStateStore(path: path)
        } catch {
            throw UsageError(String(describing: error))
        }
        let report: ComplianceReport
        do {
            report = try await ComplianceReportOutput.build(state: state, from: from, to: to, accounts: Set(accounts), run: nil)
        } catch {
            await state.close()
            throw error
        }
        await state.close()
        try ComplianceReportOutput.write(report, as: format, to: destination, output: output, option: "output")
        return .intact
    }

    /// `--format`, else the output file's extension.
    static func format(_ name: String?, output: String?) throws(UsageError) -> ReportFormat {
        if let name {
            guard let format = ReportFormat(formatName: name) else { throw UsageError("--format must be json, csv, html, md, asff or ocsf, not \"\(name)\"") }
            return format
        }
        if let output, let format = ReportFormat(fileName: output) { return format }
        throw UsageError("--format is required (json, csv, html, md, asff or ocsf) unless --output ends in .json, .csv, .html, .md, .asff.json or .ocsf.jsonl")
    }
}
