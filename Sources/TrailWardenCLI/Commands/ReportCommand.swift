import Foundation
import TrailWardenCore
import TrailWardenReports
import TrailWardenState

/// `trailwarden report`: the compliance report of a period, from the state
/// history alone (no AWS call), as JSON, CSV, HTML or Markdown, or its findings as ASFF or OCSF.
enum ReportCommand: Command {
    static let name = "report"
    static let summary = "Write the compliance report of a period from the scan state: json, csv, html, md, asff or ocsf (exit 0, 2 usage, 3 a state unreadable, a shard missing or the report unwritable)."
    static let options: [OptionSpec] = AWSSession.globalOptions + [
        .repeating("state", "PATH|s3://BUCKET/KEY|TEMPLATE",
                   "A state that scans wrote (required; repeatable: the shards of one scan make one report; a prefix/ or a template with {index}, {count} or {shard}: every shard's state it names)."),
        .single("from", "TIME", "The start of the period (default: the oldest validated time)."),
        .single("to", "TIME", "The end of the period (default: the newest validated time)."),
        .repeating("account", "ID", "Only this account (repeatable)."),
        .single("format", "json|csv|html|md|asff|ocsf", "The format (default: from --output's extension)."),
        .single("output", "FILE", "Write the report here (CSV: and FILE-chains.csv, FILE-runs.csv beside it) instead of standard output."),
        AWSSession.endpointOption,
        AWSSession.maxRequestsOption,
    ]

    static func run(_ arguments: ParsedArguments, output: any OutputSink) async throws -> ExitCode {
        let paths = arguments.all("state")
        guard !paths.isEmpty else { throw UsageError("missing required option --state") }
        let destination = arguments.value("output")
        let format = try format(arguments.value("format"), output: destination)
        let from = try arguments.time("from")
        let to = try arguments.time("to")
        if let from, let to, from > to { throw UsageError("--from must be before --to") }
        let accounts = arguments.all("account")
        if let bad = accounts.first(where: { $0.count != 12 || !$0.allSatisfy(\.isASCII) || !$0.allSatisfy(\.isNumber) }) {
            throw UsageError("--account \(bad): an account ID is 12 digits")
        }
        var states = try await ReportStates.open(paths) { try AWSSession(arguments, fallbackRegion: "us-east-1") }
        let gaps: [ComplianceReport.UnreportedShard]
        do {
            gaps = try await states.checkShards { output.err("trailwarden report: \($0)\n") }
            let source = try await ComplianceReportOutput.source(
                states: states.stores, from: from, to: to, accounts: Set(accounts), run: nil,
                unreportedShards: gaps)
            for gap in gaps { output.err("trailwarden report: shard \(gap.shard): \(gap.reason)\n") }
            try await ComplianceReportOutput.write(source, as: format, to: destination, output: output, option: "output")
        } catch {
            await states.close()
            throw error
        }
        await states.close()
        return gaps.isEmpty ? .intact : .incomplete
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
