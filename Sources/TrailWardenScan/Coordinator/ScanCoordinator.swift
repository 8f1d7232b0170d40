import Foundation
import TrailWardenAlarms
import TrailWardenAWS
import TrailWardenCore
import TrailWardenHTTP
import TrailWardenState
import TrailWardenStorage

/// One chain to validate, with the role that can read its bucket.
struct ScanChain: Sendable, Hashable {
    var trailARN: String
    var chain: DigestChain
    var bucketRole: RoleTarget?
}

/// Runs an organization scan: enters every account, discovers trails, turns
/// them into chains (each validated once however many accounts and regions
/// show the trail), validates chains in parallel over the shared request
/// budget, resumes each from its checkpoint, and records every chain's result
/// as soon as it is known, so an interrupted scan loses nothing.
///
/// One account's failure (a refused role, an unreadable bucket) is recorded
/// as that account's error; the rest of the organization is still scanned.
public struct ScanCoordinator: Sendable {
    /// Where a scan reads: AWS, entering accounts through roles; or a local
    /// archive (the offline format of docs/local-store.md) with key files,
    /// where every trail must be configured with its bucket and regions.
    public enum Source: Sendable {
        case aws(http: any HTTPClient, credentials: any CredentialProvider, endpointOverride: String?)
        case archive(store: any ObjectStore, keys: any PublicKeySource, name: String)
    }

    let plan: ScanPlan
    /// Set when scanning AWS.
    let access: AccountAccess?
    let source: Source
    let state: any StateStore
    let now: @Sendable () -> Date
    let progress: @Sendable (String) -> Void
    /// Receives each finding's reference-style INVALID line as its chain finishes.
    let finding: @Sendable (String) -> Void
    /// Announces new findings after the scan; nil when no target is configured.
    let alarms: AlarmDispatcher?
    /// False for a dry run (--no-alarms): findings stay pending.
    let sendAlarms: Bool

    public init(plan: ScanPlan, source: Source, state: any StateStore, now: @escaping @Sendable () -> Date = { Date() },
                progress: @escaping @Sendable (String) -> Void = { _ in }, finding: @escaping @Sendable (String) -> Void = { _ in },
                alarms: AlarmDispatcher? = nil, sendAlarms: Bool = true) {
        self.plan = plan
        self.source = source
        if case .aws(let http, let credentials, let endpointOverride) = source {
            access = AccountAccess(http: http, base: credentials, region: plan.defaultRegion, endpointOverride: endpointOverride)
        } else {
            access = nil
        }
        self.state = state
        self.now = now
        self.progress = progress
        self.finding = finding
        self.alarms = alarms
        self.sendAlarms = sendAlarms
    }

    /// The AWS side, or an error saying what an archive scan cannot do.
    private func aws(_ purpose: String) throws -> AccountAccess {
        guard let access else { throw ScanError("\(purpose) needs AWS; a scan of an archive reads only configured trails") }
        return access
    }

    public func run(request: String) async throws -> ScanReport {
        let started = now()
        let caller: String
        switch source {
        case .aws:
            let baseTransport = try await aws("the caller's identity").transport(nil)
            caller = try await STSClient(http: baseTransport.http, region: plan.defaultRegion, endpoint: baseTransport.endpointOverride)
                .getCallerIdentity(credentials: baseTransport.credentials.credentials()).arn
        case .archive(_, _, let name):
            caller = "archive \(name)"
        }
        let run = try await state.beginRun(caller: caller, request: request, at: started)
        do {
            return try await scan(run: run, caller: caller, started: started)
        } catch {
            try? await state.finishRun(run, totals: "{}", errors: String(decoding: (try? JSONEncoder().encode([Self.describe(error)])) ?? Data(), as: UTF8.self),
                                       status: "failed", at: now())
            throw error
        }
    }

    private func scan(run: Int64, caller: String, started: Date) async throws -> ScanReport {
        var errors = [String]()
        let (accounts, skipped) = try await resolveAccounts(errors: &errors)
        progress("\(accounts.count) accounts to scan")

        let discovered = await discover(accounts)
        var reports = Dictionary(uniqueKeysWithValues: accounts.map { ($0, ScanReport.AccountReport(accountID: $0)) })
        for (account, discovery) in discovered {
            reports[account]?.errors += discovery.errors
            reports[account]?.postureFindings += discovery.posture
        }
        var chains = [DigestChain: ScanChain]()
        for trail in Self.uniqueTrails(discovered.values.flatMap(\.trails)) {
            do {
                for scanChain in try await self.chains(of: trail, accounts: accounts) where chains[scanChain.chain] == nil {
                    chains[scanChain.chain] = scanChain
                }
            } catch {
                reports[trail.arn.accountID, default: .init(accountID: trail.arn.accountID)].errors.append("\(trail.arn.text): \(Self.describe(error))")
            }
        }
        for account in accounts {
            let report = reports[account] ?? .init(accountID: account)
            let complete = source.readsPosture && plan.discoverTrails && (discovered[account]?.errors.isEmpty ?? false)
            try await state.record(AccountResult(accountID: account, postureFindings: report.postureFindings.map(\.recorded),
                                                 errors: report.errors, postureComplete: complete), run: run, at: now())
            report.postureFindings.forEach { finding($0.message) }
        }
        let ordered = chains.values.sorted { ($0.chain.accountID, $0.trailARN, $0.chain.sourceRegion) < ($1.chain.accountID, $1.trailARN, $1.chain.sourceRegion) }
        progress("\(ordered.count) chains to validate")
        let results = try await validate(ordered, run: run)
        for (scanChain, chainReport) in results {
            reports[scanChain.chain.accountID, default: .init(accountID: scanChain.chain.accountID)].chains.append(chainReport)
        }
        var report = ScanReport(runID: run, caller: caller, startedAt: CloudTrailTime.display(started), finishedAt: CloudTrailTime.display(now()),
                                accounts: reports.values.sorted { $0.accountID < $1.accountID }, skippedAccounts: skipped, errors: errors,
                                totals: .init())
        report.total()
        if let alarms {
            let figures = AlarmDispatcher.ScanFigures(run: run, caller: caller, finishedAt: now(), accounts: report.accounts.map(\.alarmFigures),
                                                      scanErrors: errors.count)
            report.alarms = try await alarms.dispatch(figures, send: sendAlarms, at: now)
            for outcome in report.alarms where outcome.status == AlarmOutcomeRecord.failed {
                progress("alarm target \(outcome.target) failed after \(outcome.attempts) attempts; its \(outcome.findings) findings stay pending")
            }
        }
        let totals = String(decoding: try JSONEncoder().encode(report.totals), as: UTF8.self)
        let errorText = String(decoding: try JSONEncoder().encode(errors), as: UTF8.self)
        try await state.finishRun(run, totals: totals, errors: errorText, status: report.hasErrors ? "incomplete" : "complete", at: now())
        return report
    }

    // MARK: Accounts

    private func resolveAccounts(errors: inout [String]) async throws -> (scan: [String], skipped: [String]) {
        var accounts = Set(plan.includeAccounts)
        var skipped = [String]()
        if plan.discoverAccounts, access == nil {
            errors.append("organization discovery needs AWS: this archive scan covers the configured accounts only")
        } else if plan.discoverAccounts {
            let organizations = OrganizationsClient(transport: try await aws("ListAccounts").transport(plan.organizationRole),
                                                    partitionRegion: plan.defaultRegion)
            for account in try await organizations.listAccounts() {
                if account.status == "ACTIVE" { accounts.insert(account.id) } else { skipped.append(account.id) }
            }
        }
        accounts.subtract(plan.excludeAccounts)
        if !plan.onlyAccounts.isEmpty { accounts.formIntersection(plan.onlyAccounts) }
        for account in plan.onlyAccounts.subtracting(accounts) where !plan.excludeAccounts.contains(account) {
            errors.append("--account \(account) is not among the configured or discovered accounts")
        }
        return (accounts.sorted(), skipped.filter { plan.onlyAccounts.isEmpty || plan.onlyAccounts.contains($0) }.sorted())
    }

    // MARK: Trails

    /// A trail as discovery found it, with what is needed to read its chains.
    struct Trail: Sendable, Hashable {
        var arn: TrailARN
        var bucket: String
        var prefix: String?
        var organizationID: String?
        var isOrganizationTrail: Bool
        var isMultiRegion: Bool
        var regions: [String]?
        /// The account whose credentials read the bucket, unless a bucket role is configured.
        var discoveredIn: String
    }

    struct Discovery: Sendable {
        var trails: [Trail] = []
        var posture: [ScanReport.Finding] = []
        var errors: [String] = []
    }

    /// One trail per ARN: an organization or multi-region trail shows up in
    /// many accounts and regions; the sighting from its own account wins,
    /// since that account's role reads its bucket.
    static func uniqueTrails(_ sightings: [Trail]) -> [Trail] {
        var trails = [String: Trail]()
        for trail in sightings {
            if let known = trails[trail.arn.text], known.discoveredIn == trail.arn.accountID || trail.discoveredIn != trail.arn.accountID {
                continue
            }
            trails[trail.arn.text] = trail
        }
        return trails.keys.sorted().compactMap { trails[$0] }
    }

    /// Enters each account (a few at a time) and lists its trails and their posture.
    private func discover(_ accounts: [String]) async -> [String: Discovery] {
        var result = [String: Discovery]()
        await withTaskGroup(of: (String, Discovery).self) { group in
            var next = 0
            func start() {
                guard next < accounts.count else { return }
                let account = accounts[next]
                next += 1
                group.addTask { (account, await self.discover(account)) }
            }
            for _ in 0..<max(1, plan.accountsInParallel) { start() }
            for await (account, discovery) in group {
                result[account] = discovery
                progress("account \(account): \(discovery.trails.count) trails\(discovery.errors.isEmpty ? "" : ", \(discovery.errors.count) errors")")
                start()
            }
        }
        for trail in plan.explicitTrails {
            let planned = Trail(arn: trail.arn, bucket: trail.bucket ?? "", prefix: trail.prefix, organizationID: trail.organizationID,
                                isOrganizationTrail: trail.organizationID != nil, isMultiRegion: (trail.regions?.count ?? 2) > 1,
                                regions: trail.regions, discoveredIn: trail.arn.accountID)
            result[trail.arn.accountID, default: Discovery()].trails.append(planned)
        }
        return result
    }

    private func discover(_ account: String) async -> Discovery {
        var discovery = Discovery()
        guard plan.discoverTrails, let access else { return discovery }
        let transport = await access.transport(plan.role(account))
        do {
            _ = try await transport.credentials.credentials()
        } catch {
            discovery.errors.append("cannot enter account \(account) as \(plan.role(account).roleARN): \(Self.describe(error))")
            return discovery
        }
        var seen = Set<String>()
        for region in plan.regions ?? plan.discoveryRegions {
            do {
                for trail in try await CloudTrailClient(transport: transport, region: region).describeTrails(includeShadowTrails: true)
                where seen.insert(trail.trailARN).inserted {
                    guard let arn = TrailARN(trail.trailARN) else { continue }
                    // A shadow trail is reported and checked where it lives, by its own account.
                    let ownTrail = arn.accountID == account
                    if ownTrail {
                        do {
                            discovery.posture += try await posture(trail, arn: arn, transport: transport)
                        } catch {
                            discovery.errors.append("GetTrailStatus \(arn.text): \(Self.describe(error))")
                        }
                    }
                    discovery.trails.append(Trail(arn: arn, bucket: trail.s3BucketName, prefix: trail.s3KeyPrefix, organizationID: nil,
                                                  isOrganizationTrail: trail.isOrganizationTrail, isMultiRegion: trail.isMultiRegionTrail,
                                                  regions: nil, discoveredIn: account))
                }
            } catch {
                discovery.errors.append("DescribeTrails in \(account) \(region): \(Self.describe(error))")
            }
        }
        return discovery
    }

    /// Validation disabled or logging stopped: nothing can prove those logs intact.
    private func posture(_ trail: TrailDescription, arn: TrailARN, transport: AWSTransport) async throws -> [ScanReport.Finding] {
        var findings = [ScanReport.Finding]()
        if !trail.logFileValidationEnabled {
            findings.append(.init(kind: "trail-validation-disabled", object: arn.text, message: "Trail\t\(arn.text)\tINVALID: log file validation is disabled"))
        }
        let status = try await CloudTrailClient(transport: transport, region: arn.region).getTrailStatus(arn.text)
        if !status.isLogging {
            findings.append(.init(kind: "trail-logging-stopped", object: arn.text, message: "Trail\t\(arn.text)\tINVALID: logging is stopped"))
        }
        return findings
    }

    /// The chains of a trail: one per (account, source region); an
    /// organization trail's for every scanned account, from its one bucket.
    private func chains(of trail: Trail, accounts: [String]) async throws -> [ScanChain] {
        var trail = trail
        if trail.bucket.isEmpty {
            // A configured trail without its bucket: ask its own account, as validate does.
            let described = try await CloudTrailClient(transport: try await aws("finding the bucket of \(trail.arn.text)").transport(plan.role(trail.arn.accountID)),
                                                       region: trail.arn.region)
                .describeTrails(includeShadowTrails: true).first { $0.trailARN == trail.arn.text }
            guard let described else { throw ScanError("DescribeTrails in \(trail.arn.accountID) \(trail.arn.region) does not list \(trail.arn.text)") }
            trail.bucket = described.s3BucketName
            trail.prefix = trail.prefix ?? described.s3KeyPrefix
            trail.isOrganizationTrail = described.isOrganizationTrail
            trail.isMultiRegion = described.isMultiRegionTrail
        }
        let bucketRole = plan.bucketRoles[trail.bucket] ?? plan.role(trail.discoveredIn)
        var organizationID = trail.organizationID
        if trail.isOrganizationTrail, organizationID == nil {
            let organizations = OrganizationsClient(transport: try await aws("finding the organization of \(trail.arn.text)").transport(plan.role(trail.arn.accountID)),
                                                    partitionRegion: plan.defaultRegion)
            organizationID = try await organizations.describeOrganization().id
        }
        let chainAccounts = trail.isOrganizationTrail ? accounts : [trail.arn.accountID].filter(accounts.contains)
        var chains = [ScanChain]()
        for account in chainAccounts {
            let template = DigestChain(bucket: trail.bucket, prefix: trail.prefix, organizationID: organizationID, accountID: account,
                                       trailName: trail.arn.name, homeRegion: trail.arn.region, sourceRegion: trail.arn.region)
            var regions = trail.regions ?? (trail.isMultiRegion ? plan.regions : [trail.arn.region])
            if regions == nil {
                regions = try await digestRegions(template, role: bucketRole)
            }
            for region in regions ?? [] where plan.onlyRegions.isEmpty || plan.onlyRegions.contains(region) {
                var chain = template
                chain.sourceRegion = region
                chains.append(ScanChain(trailARN: trail.arn.text, chain: chain, bucketRole: bucketRole))
            }
        }
        return chains
    }

    /// Every region with a digest folder for the chain's account, by listing with a delimiter.
    private func digestRegions(_ chain: DigestChain, role: RoleTarget?) async throws -> [String] {
        let client = S3Client(transport: try await aws("finding the regions of s3://\(chain.bucket)/\(chain.accountRoot)").transport(role),
                              region: plan.defaultRegion)
        let folder = chain.accountRoot + "CloudTrail-Digest/"
        var regions = [String]()
        var token: String?
        repeat {
            let page = try await client.listObjectsV2(bucket: chain.bucket, prefix: folder, continuationToken: token, delimiter: "/")
            regions += page.commonPrefixes.map { String($0.dropFirst(folder.count).dropLast()) }
            token = page.nextContinuationToken
        } while token != nil
        return regions
    }

    // MARK: Validation

    private func validate(_ chains: [ScanChain], run: Int64) async throws -> [(ScanChain, ScanReport.ChainReport)] {
        let limits = AccountLimits(perAccount: plan.requestsPerAccount)
        let keys: @Sendable (String) async -> any PublicKeySource
        switch source {
        case .aws:
            let sources = KeySources(access: try aws("ListPublicKeys"))
            keys = { await sources.source(region: $0) }
        case .archive(_, let archiveKeys, _):
            keys = { _ in archiveKeys }
        }
        var results = [(ScanChain, ScanReport.ChainReport)]()
        let started = now()
        var objects = 0, findings = 0
        let accounts = Set(chains.map(\.chain.accountID)).count
        try await forEachConcurrently(chains, limit: plan.accountsInParallel, operation: { scanChain in
            try await self.validate(scanChain, run: run, keys: keys, limits: limits)
        }, inOrder: { index, report in
            results.append((chains[index], report))
            report.findings.forEach { finding($0.message) }
            let counts = report.counts
            objects += counts.validDigests + counts.invalidDigests + counts.validBackfillDigests + counts.invalidBackfillDigests
                + counts.validLogs + counts.invalidLogs
            findings += report.findings.count
            let accountsDone = Set(results.map(\.0.chain.accountID)).subtracting(chains[(index + 1)...].map(\.chain.accountID)).count
            let rate = Double(objects) / max(now().timeIntervalSince(started), 0.001)
            progress("accounts \(accountsDone)/\(accounts), chains \(index + 1)/\(chains.count), \(objects) objects (\(Int(rate))/s), \(findings) findings")
        })
        return results
    }

    private func validate(_ scanChain: ScanChain, run: Int64, keys keySource: @Sendable (String) async -> any PublicKeySource,
                          limits: AccountLimits) async throws -> ScanReport.ChainReport {
        let chain = scanChain.chain
        let checkpoint = try await state.checkpoint(for: chain)
        let end = plan.until ?? now()
        let start = plan.since ?? checkpoint.map { $0.digestEndTime.addingTimeInterval(1) } ?? end.addingTimeInterval(-plan.firstScanLookback)
        var report = ScanReport.ChainReport(trailARN: scanChain.trailARN, chain: chain, rangeStart: CloudTrailTime.display(start),
                                            rangeEnd: CloudTrailTime.display(end), counts: ValidationTally(), findings: [], error: nil)
        var result = ChainResult(chain: chain, trailARN: scanChain.trailARN, rangeStart: start, rangeEnd: end, tally: ValidationTally(),
                                 findings: [], newCheckpoint: nil, error: nil)
        if start <= end {
            do {
                let bucketStore: any ObjectStore
                switch source {
                case .aws:
                    bucketStore = S3ObjectStore(client: S3Client(transport: try await aws("reading S3").transport(scanChain.bucketRole), region: chain.sourceRegion))
                case .archive(let archive, _, _):
                    bucketStore = archive
                }
                let store = LimitedObjectStore(inner: bucketStore, semaphore: await limits.semaphore(for: chain.accountID))
                let keys = await keySource(chain.sourceRegion)
                var findings = [ScanReport.Finding]()
                var coverage = CoverageRecorder()
                let outcome = try await ChainValidator(store: store, keys: keys, concurrency: plan.requestsPerAccount)
                    .validate(ValidationRequest(chain: chain, start: start, end: end, checkUnreferenced: true)) { event in
                        coverage.record(event)
                        if event.isFinding { findings.append(.init(kind: event.kind, object: event.object?.description ?? "", message: event.line)) }
                    }
                result.coverage = coverage.spans
                findings += Self.continuityFindings(outcome, checkpoint: checkpoint, resumed: plan.since == nil)
                if outcome.listedDigestCount == 0, checkpoint == nil {
                    findings.append(.init(kind: "chain-no-digests", object: "s3://\(chain.bucket)/\(chain.digestFolder)",
                                          message: "Digest files\ts3://\(chain.bucket)/\(chain.digestFolder)\tINVALID: no digest files between \(CloudTrailTime.display(start)) and \(CloudTrailTime.display(end))"))
                }
                report.counts = outcome.tally
                report.findings = findings
                result.tally = outcome.tally
                result.findings = findings.map(\.recorded)
                if let newest = outcome.newestVerifiedDigest, checkpoint.map({ newest.endTime > $0.digestEndTime }) ?? true {
                    result.newCheckpoint = Checkpoint(digestKey: newest.location.key, digestEndTime: newest.endTime,
                                                      signature: newest.signature, sha256: newest.uncompressedSHA256)
                }
            } catch {
                report.error = Self.describe(error)
                result.error = report.error
            }
        }
        try await state.record(result, run: run, at: now())
        return report
    }

    /// The first digest after the checkpoint must link to it by key, hash and
    /// signature; otherwise the chain was broken between runs.
    static func continuityFindings(_ outcome: ValidationOutcome, checkpoint: Checkpoint?, resumed: Bool) -> [ScanReport.Finding] {
        guard resumed, let checkpoint, let first = outcome.oldestListedDigest, first.file.hasPreviousLink else { return [] }
        let linked = first.file.previousDigestS3Object == checkpoint.digestKey
            && ChainLink.problem(newer: first.file, olderSHA256: checkpoint.sha256, olderSignature: checkpoint.signature) == nil
        guard !linked else { return [] }
        return [.init(kind: "chain-checkpoint-break", object: first.location.description,
                      message: "Digest file\t\(first.location)\tINVALID: does not link to the last validated digest s3://\(first.location.bucket)/\(checkpoint.digestKey)")]
    }

    static func describe(_ error: any Error) -> String {
        String(describing: error)
    }
}

extension ScanCoordinator.Source {
    /// Whether the scan reads trail posture (DescribeTrails, GetTrailStatus): only on AWS.
    var readsPosture: Bool {
        if case .aws = self { return true }
        return false
    }
}

extension ScanReport.Finding {
    var recorded: RecordedFinding { RecordedFinding(kind: kind, object: object, message: message) }
}

/// A scan problem that names what could not be done.
struct ScanError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Public keys per region, fetched once per region and shared by every chain.
actor KeySources {
    let access: AccountAccess
    private var sources: [String: CachedKeySource] = [:]

    init(access: AccountAccess) { self.access = access }

    func source(region: String) async -> CachedKeySource {
        if let known = sources[region] { return known }
        let source = CachedKeySource(client: CloudTrailClient(transport: await access.transport(nil), region: region))
        sources[region] = source
        return source
    }
}

/// ListPublicKeys for one region, asked once per distinct window.
actor CachedKeySource: PublicKeySource {
    let client: CloudTrailClient
    private var answers: [String: [PublicKey]] = [:]

    init(client: CloudTrailClient) { self.client = client }

    func publicKeys(from: Date, to: Date) async throws -> [PublicKey] {
        let window = "\(from.timeIntervalSince1970)-\(to.timeIntervalSince1970)"
        if let known = answers[window] { return known }
        let keys = try await client.listPublicKeys(from: from, to: to).map {
            try PublicKey(base64Value: $0.valueBase64, fingerprint: $0.fingerprint, validityStart: $0.validityStart, validityEnd: $0.validityEnd)
        }
        answers[window] = keys
        return keys
    }
}
