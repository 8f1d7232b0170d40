import Foundation
import TrailWardenCore
import TrailWardenStorage

/// `trailwarden validate`: a drop-in for `aws cloudtrail validate-logs` that
/// validates in parallel, reads local archives, and checks what the reference
/// cannot see.
enum ValidateCommand: Command {
    static let name = "validate"
    static let summary = "Validate one trail's digest chain and log files (like aws cloudtrail validate-logs)."
    static let options: [OptionSpec] = [
        .single("trail-arn", "ARN", "The trail to validate (required)."),
        .single("start-time", "TIME", "Validate log files delivered on or after this UTC time (required)."),
        .single("end-time", "TIME", "...and on or before this time (default: now)."),
        .single("s3-bucket", "BUCKET", "The bucket holding the digests (required with --store)."),
        .single("s3-prefix", "PREFIX", "The trail's S3 key prefix, if any."),
        .single("account-id", "ID", "The account whose logs to validate (default: the ARN's; needed for organization trails)."),
        .single("organization-id", "ID", "The organization id, for an organization trail's keys."),
        .single("region", "REGION", "The source region to validate (default: the trail's home region)."),
        .single("store", "URL", "Read objects from a local archive, file:///ROOT (ROOT/BUCKET/KEY)."),
        .repeating("public-keys", "FILE", "Public keys as `aws cloudtrail list-public-keys` prints them (repeatable)."),
        .single("format", "text|json", "text (the reference's output) or json (default: text)."),
        .single("concurrency", "N", "Digests and log files fetched at once (default: 32)."),
        .flag("check-unreferenced", "Also report log files that no digest file lists (injected files)."),
        .flag("verbose", "Print every valid digest and log file too."),
    ]

    static func run(_ arguments: ParsedArguments, output: any OutputSink) async throws -> ExitCode {
        let arnText = try arguments.required("trail-arn")
        guard let arn = TrailARN(arnText) else { throw UsageError("Invalid trail ARN provided: \(arnText)") }
        let start = try time(arguments.required("start-time"), option: "start-time")
        let end = try arguments.value("end-time").map { try time($0, option: "end-time") } ?? Date()
        guard start <= end else { throw UsageError("Invalid time range specified: start-time must occur before end-time") }
        let format = arguments.value("format") ?? "text"
        guard ["text", "json"].contains(format) else { throw UsageError("--format must be text or json, not \"\(format)\"") }
        let concurrency = try arguments.integer("concurrency", default: 32, range: 1...1024)
        if let account = arguments.value("account-id"), account.count != 12 || !account.allSatisfy(\.isNumber) {
            throw UsageError("--account-id must be a 12-digit account id, not \"\(account)\"")
        }
        guard let storeText = arguments.value("store") else {
            throw UsageError("--store is required: reading S3 needs the AWS layer, which this build lacks")
        }
        let store = LocalDirectoryStore(root: try StoreURL.localRoot(storeText, option: "store"))
        let bucket = try arguments.required("s3-bucket")
        let keyFiles = arguments.all("public-keys")
        guard !keyFiles.isEmpty else { throw UsageError("--public-keys is required with --store") }
        let keys = try KeyFiles.load(keyFiles)

        let chain = DigestChain(bucket: bucket, prefix: arguments.value("s3-prefix"), organizationID: arguments.value("organization-id"),
                                accountID: arguments.value("account-id") ?? arn.accountID, trailName: arn.name,
                                homeRegion: arn.region, sourceRegion: arguments.value("region") ?? arn.region)
        let request = ValidationRequest(chain: chain, start: start, end: end, checkUnreferenced: arguments.has("check-unreferenced"))
        let validator = ChainValidator(store: store, keys: keys, concurrency: concurrency)

        if format == "json" {
            var findings = [ValidationReport.Finding]()
            var gaps = [ValidationReport.Gap]()
            let outcome = try await validator.validate(request) { event in
                if event.isFinding { findings.append(ValidationReport.finding(event)) }
                if case .gap(let kind, let from, let to) = event {
                    gaps.append(.init(digestKind: kind.rawValue, from: CloudTrailTime.display(from), to: CloudTrailTime.display(to)))
                }
            }
            let tally = outcome.tally
            let report = ValidationReport(
                trailARN: arn.text, chain: chain, requestedStart: CloudTrailTime.display(start), requestedEnd: CloudTrailTime.display(end),
                foundStart: tally.foundStart.map(CloudTrailTime.display), foundEnd: tally.foundEnd.map(CloudTrailTime.display),
                intact: !tally.hasFindings, counts: tally.counts, findings: findings, gaps: gaps)
            output.out(try report.encoded())
            return tally.hasFindings ? .findings : .intact
        }
        let renderer = ReferenceTextRenderer(output: output, verbose: arguments.has("verbose"))
        renderer.header(trailARN: arn.text, start: start, end: end)
        let outcome = try await validator.validate(request) { renderer.event($0) }
        renderer.summary(outcome.tally, start: start, end: end)
        return outcome.tally.hasFindings ? .findings : .intact
    }

    static func time(_ text: String, option: String) throws(UsageError) -> Date {
        guard let date = CloudTrailTime.parse(text) else { throw UsageError("--\(option): Unable to parse date value: \(text)") }
        return date
    }
}
