import Foundation
import TrailWardenAWS
import TrailWardenCore
import TrailWardenReports
import TrailWardenScan
import TrailWardenState
import TrailWardenStorage
import TrailWardenVocabulary

/// `trailwarden scan`: every chain of every account, in parallel, resuming
/// from checkpoints, into one organization-wide report.
enum ScanCommand: Command {
    static let name = "scan"
    static let summary = "Scan every account, trail and region of an organization, incrementally (exit 0 intact, 1 findings, 2 usage, 3 errors)."
    static let options: [OptionSpec] = AWSSession.globalOptions + [
        .single("config", "FILE", "The scan configuration, - for standard input (required; see accounts.example.json and docs/config.md)."),
        .single("state", "PATH|s3://BUCKET/KEY|TEMPLATE",
                "The SQLite state file, or one kept in S3 (a key, or a prefix/ with one state per shard; default: the configuration's, else trailwarden.sqlite). A template names each shard's: {index}, {count}, {shard} (shard-INDEX-of-COUNT), e.g. s3://BUCKET/nightly/{shard}.sqlite."),
        .repeating("account", "ID", "Scan only this account (repeatable)."),
        .repeating("region", "REGION", "Validate only this source region (repeatable)."),
        .flag("full", "Rescan the look-back window regardless of checkpoints (the result still updates the state)."),
        .single("since", "TIME", "Rescan from this time regardless of checkpoints."),
        .single("until", "TIME", "Validate up to this time (default: now)."),
        .single("report", "PATH", "Also write this scan's compliance report to PATH, in the format of its extension: .json, .csv, .html, .md (.txt: the text summary)."),
        .flag("no-alarms", "A dry run for alarms: send nothing; new findings stay pending for the next scan."),
        .single("store", "URL", "Scan a local archive, file:///ROOT, instead of AWS: configured trails with their buckets and regions."),
        .repeating("public-keys", "FILE", "Public keys for --store, as `aws cloudtrail list-public-keys` prints them (repeatable)."),
        .single("shard", "INDEX/COUNT|auto", "Scan only this shard's accounts (auto: INDEX from JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX; docs/scan.md#shards)."),
        .single("shard-count", "COUNT", "The shard count for --shard auto."),
        .single("scan-id", "ID", "The id every shard of one scan records (default: JOB_NAME, else AWS_BATCH_JOB_ID's job)."),
        .single("format", "text|json", "What to print on standard output (default: text)."),
        .flag("quiet", "No progress lines (findings, errors and the summary are still logged)."),
        .single("log-format", "text|json", "What standard error carries: text, or json, one object a line (docs/cli.md) (default: text)."),
        AWSSession.endpointOption,
        AWSSession.maxRequestsOption,
    ] + ScanState.options

    static func run(_ arguments: ParsedArguments, output: any OutputSink) async throws -> ExitCode {
        let logFormat = arguments.value("log-format") ?? "text"
        guard ["text", "json"].contains(logFormat) else { throw UsageError("--log-format must be text or json, not \"\(logFormat)\"") }
        let style: ProgressStyle = logFormat == "json" ? .json : .forStandardError(of: output)
        let progress = ProgressReporter(output: output, style: style, quiet: arguments.has("quiet"))
        guard logFormat == "json" else { return try await scan(arguments, output: output, progress: progress) }
        // In JSON, a failure is a log line too, and the dispatcher prints nothing more.
        do {
            return try await scan(arguments, output: output, progress: progress)
        } catch {
            let (message, code) = TrailWarden.describe(error)
            progress.record("error", [("fatal", "true"), ("message", JSONString.quote(message))])
            progress.record("summary", [("exitCode", String(code.rawValue))])
            throw AlreadyReported(code: code)
        }
    }

    static func scan(_ arguments: ParsedArguments, output: any OutputSink, progress: ProgressReporter) async throws -> ExitCode {
        let configurationPath = try arguments.required("config")
        try InputFile.checkStandardInputUsedOnce([(option: "config", path: configurationPath)]
                                                  + arguments.all("public-keys").map { (option: "public-keys", path: $0) })
        let configuration = try ConfigurationFile.load(configurationPath)
        let format = arguments.value("format") ?? "text"
        guard ["text", "json"].contains(format) else { throw UsageError("--format must be text or json, not \"\(format)\"") }
        let since = try arguments.time("since")
        let until = try arguments.time("until")
        if arguments.has("full"), since != nil { throw UsageError("--full and --since cannot be combined") }
        var plan = ScanPlan(configuration: configuration, onlyAccounts: arguments.all("account"), onlyRegions: arguments.all("region"))
        plan.until = until
        plan.requestsInFlight = try arguments.integer("max-requests", default: configuration.limits.requestsInFlight, range: 1...1024)
        plan.shard = try ShardOptions.assignment(arguments, configuredCount: configuration.shards)
        plan.since = since ?? (arguments.has("full") ? (until ?? Date()).addingTimeInterval(-plan.firstScanLookback) : nil)
        if let since = plan.since, let until, since > until { throw UsageError("--since must be before --until") }
        let reportPath = arguments.value("report")
        let reportFormat = try reportPath.flatMap { path throws(UsageError) -> ReportFormat? in
            if path.lowercased().hasSuffix(".txt") { return nil }
            guard let format = ReportFormat(fileName: path) else {
                throw UsageError("--report \(path): the name must end in .json, .csv, .html, .md or .txt")
            }
            return format
        }

        let alarmsConfigured = !configuration.alarms.isEmpty
        func awsSession() throws -> AWSSession {
            try AWSSession(arguments, fallbackRegion: plan.defaultRegion, defaultMaxRequests: configuration.limits.requestsInFlight)
        }
        // AWS for the scan itself, and for SNS and CloudWatch alarms even when an archive is scanned.
        let source: any ScanSource
        let session: AWSSession?
        if let storeText = arguments.value("store") {
            let root = try StoreURL.localRoot(storeText, option: "store")
            guard arguments.has("public-keys") else { throw UsageError("--public-keys is required with --store") }
            source = ArchiveScanSource(store: LocalDirectoryStore(root: root), keys: try KeyFiles.load(arguments.all("public-keys")), name: root.path)
            session = alarmsConfigured ? try awsSession() : nil
        } else {
            let aws = try awsSession()
            source = AWSScanSource(session: aws.transport, region: plan.defaultRegion)
            session = aws
        }
        // Opened once the command line has been checked: a usage error creates no state. Who
        // scans is asked first: between a resized shard's import and its run's start nothing
        // may fail but the state itself (docs/state.md, "Resizing a sharded scan").
        _ = try await source.callerIdentity()
        let scanState = try await ScanState.open(arguments.value("state") ?? configuration.statePath, shard: plan.shard,
                                                 scanID: ShardOptions.scanID(arguments), arguments: arguments) { try session ?? awsSession() }
        let state = scanState.sqlite
        let alarms = alarmsConfigured ? session.map { session in
            AlarmDispatcher(sinks: configuration.alarms.sinks(transport: session.transport), state: state)
        } : nil
        let coordinator = ScanCoordinator(plan: plan, source: source, state: scanState.store, progress: { progress.line($0) },
                                          finding: { progress.permanent($0.finding.message, fields: ScanLogLines.fields(of: $0)) }, alarms: alarms,
                                          sendAlarms: !arguments.has("no-alarms"))
        let request = try requestDescription(arguments, configurationPath: configurationPath, plan: plan, imported: scanState.imported)
        for line in scanState.imported { progress.line("imported from \(line)") }
        let report = try await scanState.recording { try await coordinator.run(request: request) }
        progress.finish()

        output.out(format == "json" ? try report.json() : report.text())
        if let reportPath {
            if let reportFormat {
                let compliance = try await ComplianceReportOutput.source(states: [state], from: nil, to: nil, accounts: [], run: report.runID)
                try await ComplianceReportOutput.write(compliance, as: reportFormat, to: reportPath, output: output, option: "report")
            } else {
                do {
                    try OutputFile.write(Data(report.text().utf8), to: reportPath)
                } catch {
                    throw ServiceError("--report \(reportPath): cannot write the report (the scan itself is recorded): \(error.reason)")
                }
            }
        }
        let code: ExitCode = report.hasErrors ? .incomplete : report.hasFindings ? .findings : .intact
        ScanLogLines.record(report, exitCode: code, to: progress)
        return code
    }

    /// What was asked, as recorded with the run.
    static func requestDescription(_ arguments: ParsedArguments, configurationPath: String, plan: ScanPlan, imported: [String] = []) throws -> String {
        var request: [String: Any] = ["config": configurationPath, "accounts": plan.onlyAccounts.sorted(), "regions": plan.onlyRegions.sorted()]
        if let since = plan.since { request["since"] = CloudTrailTime.display(since) }
        if let until = plan.until { request["until"] = CloudTrailTime.display(until) }
        request["full"] = arguments.has("full")
        ShardOptions.describe(arguments, shard: plan.shard, into: &request)
        if !imported.isEmpty { request["imported"] = imported }
        return String(decoding: try JSONSerialization.data(withJSONObject: request, options: [.sortedKeys]), as: UTF8.self)
    }
}
