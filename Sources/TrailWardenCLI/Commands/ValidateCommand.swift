import Foundation
import TrailWardenAWS
import TrailWardenCore
import TrailWardenScan
import TrailWardenStorage
import TrailWardenVocabulary

/// `trailwarden validate`: a drop-in for `aws cloudtrail validate-logs` that
/// validates in parallel, reads S3 or a local archive, and checks what the
/// reference cannot see.
enum ValidateCommand: Command {
    static let name = "validate"
    static let summary = "Validate one trail's digest chain and log files (like aws cloudtrail validate-logs)."
    static let options: [OptionSpec] = AWSSession.globalOptions + [
        .single("trail-arn", "ARN", "The trail to validate (required)."),
        .single("start-time", "TIME", "Validate log files delivered on or after this UTC time (required)."),
        .single("end-time", "TIME", "...and on or before this time (default: now)."),
        .single("s3-bucket", "BUCKET", "The bucket holding the digests (default: the trail's, from DescribeTrails)."),
        .single("s3-prefix", "PREFIX", "The digests' S3 key prefix (default: the trail's)."),
        .single("account-id", "ID", "The account whose logs to validate (default: the ARN's; required for organization trails)."),
        .single("organization-id", "ID", "The organization id of an organization trail (default: from DescribeOrganization)."),
        .single("region", "REGION", "The source region to validate (default: the trail's home region)."),
        .single("store", "URL", "Read objects from a local archive, file:///ROOT (ROOT/BUCKET/KEY), instead of S3."),
        .repeating("public-keys", "FILE", "Public keys as `aws cloudtrail list-public-keys` prints them, - for standard input (default: ListPublicKeys)."),
        .single("format", "text|json", "text (the reference's output) or json (default: text)."),
        .single("concurrency", "N", "Digests and log files fetched at once (default: 32)."),
        AWSSession.endpointOption,
        AWSSession.maxRequestsOption,
        .flag("check-unreferenced", "Also report log files that no digest file lists (injected files)."),
        .flag("verbose", "Print every valid digest and log file too."),
    ]

    static func run(_ arguments: ParsedArguments, output: any OutputSink) async throws -> ExitCode {
        let arnText = try arguments.required("trail-arn")
        guard let arn = TrailARN(arnText) else { throw UsageError("Invalid trail ARN provided: \(arnText)") }
        let start = try arguments.requiredTime("start-time")
        let end = try arguments.time("end-time") ?? Date()
        guard start <= end else { throw UsageError("Invalid time range specified: start-time must occur before end-time") }
        let format = arguments.value("format") ?? "text"
        guard ["text", "json"].contains(format) else { throw UsageError("--format must be text or json, not \"\(format)\"") }
        let concurrency = try arguments.integer("concurrency", default: 32, range: 1...1024)
        if let account = arguments.value("account-id"), account.count != 12 || !account.allSatisfy(\.isNumber) {
            throw UsageError("--account-id must be a 12-digit account id, not \"\(account)\"")
        }
        let sourceRegion = arguments.value("region") ?? arn.region
        let session = try AWSSession(arguments, fallbackRegion: sourceRegion)
        let store: any ObjectStore
        if let storeText = arguments.value("store") {
            if storeText.hasPrefix("s3://") {
                throw UsageError("--store takes file:///ROOT; to read S3, leave --store out and name the bucket with --s3-bucket")
            }
            guard arguments.has("public-keys") else { throw UsageError("--public-keys is required with --store") }
            store = LocalDirectoryStore(root: try StoreURL.localRoot(storeText, option: "store"))
        } else {
            store = S3ObjectStore(client: S3Client(transport: session.transport, region: sourceRegion))
        }
        let keyFiles = arguments.all("public-keys")
        let keys: any PublicKeySource = keyFiles.isEmpty
            ? CloudTrailKeySource(client: CloudTrailClient(transport: session.transport, region: sourceRegion))
            : try KeyFiles.load(keyFiles)
        let chain = try await locate(arn, arguments, sourceRegion: sourceRegion, session: session)
        let request = ValidationRequest(chain: chain, start: start, end: end, checkUnreferenced: arguments.has("check-unreferenced"))
        let validator = ChainValidator(store: store, keys: keys, concurrency: concurrency)

        let progress = ValidationProgress(output: output)
        defer { progress.finish() }
        if format == "json" {
            var findings = [ValidationReport.Finding]()
            var gaps = [ValidationReport.Gap]()
            let outcome = try await validator.validate(request) { event in
                progress.observe(event)
                if let finding = ValidationReport.finding(event) { findings.append(finding) }
                if case .gap(let kind, let from, let to) = event {
                    gaps.append(.init(digestKind: kind.rawValue, from: CloudTrailTime.display(from), to: CloudTrailTime.display(to)))
                }
            }
            progress.finish()
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
        let verbose = arguments.has("verbose")
        let outcome = try await validator.validate(request) { event in
            if event.isProblem || verbose { progress.clear() }
            renderer.event(event)
            progress.observe(event)
        }
        progress.finish()
        renderer.summary(outcome.tally, start: start, end: end)
        return outcome.tally.hasFindings ? .findings : .intact
    }

    /// The chain to validate. Without `--s3-bucket`, the trail's bucket, prefix
    /// and organization come from DescribeTrails (and DescribeOrganization), as
    /// the reference finds them.
    static func locate(_ arn: TrailARN, _ arguments: ParsedArguments, sourceRegion: String, session: AWSSession) async throws -> DigestChain {
        var bucket = arguments.value("s3-bucket")
        var prefix = arguments.value("s3-prefix")
        var organizationID = arguments.value("organization-id")
        if bucket == nil {
            if arguments.has("store") { throw UsageError("--s3-bucket is required with --store") }
            let locator = TrailLocator(transport: session.transport, region: sourceRegion, partitionRegion: sourceRegion)
            guard let trail = try await locator.describe(arn) else { throw UsageError("A trail could not be found for \(arn.text)") }
            bucket = trail.s3BucketName
            prefix = trail.s3KeyPrefix
            if trail.isOrganizationTrail {
                guard arguments.has("account-id") else { throw UsageError("Missing required parameter for organization trail: '--account-id'") }
                if organizationID == nil { organizationID = try await locator.organizationID() }
            }
        }
        guard let bucket else { throw UsageError("--s3-bucket is required") }
        return DigestChain(bucket: bucket, prefix: prefix, organizationID: organizationID,
                           accountID: arguments.value("account-id") ?? arn.accountID, trailName: arn.name,
                           homeRegion: arn.region, sourceRegion: sourceRegion)
    }
}
