import Foundation
import Testing
import TrailWardenAWS
import TrailWardenHTTP
@testable import TrailWardenCore
import TrailWardenSimulation
import TrailWardenState
import TrailWardenStorage
import TrailWardenTestSupport
import TrailWardenVocabulary
@testable import TrailWardenScan

/// The organization scan against the emulator: a simulated organization (an
/// organization trail and a second trail sharing nothing), entered through
/// AssumeRole, scanned twice.
@Suite(.serialized) struct ScanCoordinatorTests {
    struct Organization {
        let world: World
        let plan: ScanPlan
        let statePath: String
        /// The first account, which owns the organization and its trail.
        let management: String
    }

    /// Uploads a tampered organization ending now, creates its trails, and plans a scan of it.
    /// With `archiveAccount`, the organization trail's bucket belongs to that
    /// (log-archive) account, as in Control Tower landing zones.
    static func organization(tampers: [TamperKind], endpoint: String? = nil, archiveAccount: String? = nil) async throws -> Organization {
        // Accounts of their own, so that worlds sharing the emulator never share a bucket.
        let firstAccount = UInt64.random(in: 200_000_000_000...800_000_000_000)
        let management = String(firstAccount)
        let credentials = try await Emulator.credentials(for: management, endpoint: endpoint)
        let organization = try #require(try Emulator.admin(["create-organization"], as: credentials, endpoint: endpoint) as? [String: Any])
        let start = Date().addingTimeInterval(-26 * 3600)
        let spec = WorldSpec(accounts: 2, regions: ["us-east-1", "eu-west-1"], hours: 24, logsPerDigest: 2,
                             organizationID: try #require(organization["Id"] as? String), tampers: tampers,
                             seed: UInt64.random(in: 1...1_000_000), start: start, firstAccount: firstAccount)
        let world = try WorldBuilder(spec: spec).build()
        let orgBucket = world.manifest.chains.first { $0.isOrganizationTrail }?.chain.bucket
        let ownClient = S3Client(transport: try Emulator.transport(credentials, endpoint: endpoint), region: "us-east-1")
        var archiveClient = ownClient
        if let archiveAccount {
            let archive = try await Emulator.credentials(for: archiveAccount, endpoint: endpoint)
            archiveClient = S3Client(transport: try Emulator.transport(archive, endpoint: endpoint), region: "us-east-1")
        }
        // Each bucket made once before the uploads: moto's CreateBucket is not atomic, and the first
        // uploads each creating the same bucket at once once ended in AccessDenied on the strict emulator.
        for bucket in Set(world.objects.keys.map(\.bucket)).sorted() {
            try await (bucket == orgBucket ? archiveClient : ownClient).createBucket(bucket)
        }
        let stores = (own: S3ObjectStore(client: ownClient), archive: S3ObjectStore(client: archiveClient))
        try await forEachConcurrently(world.objects.sorted { $0.key < $1.key }, limit: 16, operation: { entry in
            try await (entry.key.bucket == orgBucket ? stores.archive : stores.own).put(entry.key, body: entry.value.body, metadata: entry.value.metadata)
        }, inOrder: { _, _ in })
        let keys = try Emulator.publicKeysDirectory()
        try FileManager.default.createDirectory(at: keys, withIntermediateDirectories: true)
        try world.publicKeysJSON.write(to: keys.appendingPathComponent("scan-\(UUID().uuidString).json"))
        // moto creates a trail only over a bucket of its own account, so a trail writing to the
        // archive account's bucket is configured rather than discovered.
        var explicitTrails = [PlannedTrail]()
        if archiveAccount != nil, let orgTrail = world.manifest.chains.first(where: \.isOrganizationTrail) {
            explicitTrails.append(PlannedTrail(arn: TrailARN(orgTrail.trailARN)!, bucket: orgTrail.chain.bucket, prefix: orgTrail.chain.prefix,
                                               organizationID: orgTrail.chain.organizationID, regions: spec.regions))
        }
        for chain in world.manifest.chains where chain.chain.accountID == management && chain.chain.sourceRegion == "us-east-1"
            && !(archiveAccount != nil && chain.isOrganizationTrail) {
            let organizationTrail = chain.isOrganizationTrail ? "true" : "false"
            _ = try Emulator.admin(["create-trail", chain.chain.trailName, chain.chain.bucket, chain.chain.prefix ?? "", "us-east-1",
                                    organizationTrail, organizationTrail], as: credentials, endpoint: endpoint)
        }
        let accounts = Array(Set(world.manifest.chains.map(\.chain.accountID))).sorted()
        let plan = ScanPlan(includeAccounts: accounts, role: { RoleTarget(roleARN: "arn:aws:iam::\($0):role/TrailWardenAudit") },
                            explicitTrails: explicitTrails, regions: ["us-east-1", "eu-west-1"], accountsInParallel: 4, requestsPerAccount: 8)
        let statePath = FileManager.default.temporaryDirectory.appendingPathComponent("tw-scan-\(UUID().uuidString).sqlite").path
        return Organization(world: world, plan: plan, statePath: statePath, management: management)
    }

    static func source(http: any HTTPClient = Emulator.http, endpoint: String? = nil) throws -> AWSScanSource {
        AWSScanSource(session: AWSTransport(http: http, credentials: StaticCredentialProvider(Emulator.defaultCredentials),
                                            endpointOverride: try endpoint ?? Emulator.endpoint()), region: "us-east-1")
    }

    static func coordinator(_ organization: Organization, state: any StateStore) throws -> ScanCoordinator {
        ScanCoordinator(plan: organization.plan, source: try Self.source(), state: state)
    }

    @Test func reportsEveryChainAsValidateWouldAndResumesFromCheckpoints() async throws {
        let organization = try await Self.organization(tampers: [.digestDelete, .logModify, .linkBreak, .logInject])
        let manifest = organization.world.manifest
        let state = try SQLiteStateStore(path: organization.statePath)
        var plan = organization.plan
        plan.configurationSHA256 = String(repeating: "ab", count: 32)
        let first = try await ScanCoordinator(plan: plan, source: try Self.source(), state: state).run(request: "{}")
        #expect(first.configurationSHA256 == plan.configurationSHA256 && first.trailwardenVersion == TrailWardenVersion.current)

        // Every chain once, with exactly the findings its world says, and the same counts as validate.
        let chains = first.accounts.flatMap(\.chains)
        #expect(chains.count == manifest.chains.count)
        #expect(Set(chains.map(\.chain)) == Set(manifest.chains.map(\.chain)))
        let store = S3ObjectStore(client: S3Client(transport: try Emulator.transport(), region: "us-east-1"))
        let keys = StaticPublicKeySource(keys: try PublicKeyList.decode(organization.world.publicKeysJSON, file: "world"))
        for worldChain in manifest.chains {
            let report = try #require(chains.first { $0.chain == worldChain.chain })
            #expect(report.error == nil)
            #expect(Set(report.findings.map { "\($0.kind) \($0.object)" }) == Set(worldChain.expectedFindings.map { "\($0.kind) \($0.object)" }),
                    "\(worldChain.chain)")
            let start = report.rangeStart, end = report.rangeEnd
            let validated = try await ChainValidator(store: store, keys: keys).validate(
                ValidationRequest(chain: worldChain.chain, start: start, end: end, checkUnreferenced: true)) { _ in }
            #expect(report.tally == validated.tally, "\(worldChain.chain)")
        }
        #expect(first.totals.findings == manifest.chains.map(\.expectedFindings.count).reduce(0, +))
        #expect(first.hasErrors == false)

        // A rescan with nothing new validates nothing, finds nothing, and keeps the checkpoints.
        let second = try await Self.coordinator(organization, state: state).run(request: "{}")
        #expect(second.totals.validDigests == 0 && second.totals.validLogs == 0)
        #expect(second.totals.findings == 0)
        for worldChain in manifest.chains {
            #expect(try await state.checkpoint(for: worldChain.chain) != nil)
        }
        let runs = try await state.runs()
        #expect(runs.count == 2 && runs.allSatisfy { $0.status == .complete })
        // Each run names who ran it, with which configuration (none given to the second) and build.
        #expect(runs.allSatisfy { $0.caller == first.caller && $0.caller.hasPrefix("arn:aws:") && $0.trailwardenVersion == TrailWardenVersion.current })
        #expect(runs.map(\.configurationSHA256) == [plan.configurationSHA256, nil])
        let history = try await state.findings(chain: nil)
        #expect(history.count == first.totals.findings && history.allSatisfy { $0.firstSeenRun == first.runID })
    }

    /// moto grants every AssumeRole, so the refusal is made at the HTTP seam:
    /// AssumeRole for one role ARN answers AccessDenied, everything else reaches the emulator.
    struct RefusingHTTPClient: HTTPClient {
        let inner: any HTTPClient
        let refusedRole: String

        func send<Consumer: BodyConsumer>(_ request: HTTPRequest, streamingInto consumer: inout Consumer) async throws -> HTTPResponse {
            let body = String(decoding: request.body, as: UTF8.self)
            if body.contains("Action=AssumeRole&"), body.contains(PercentEncoding.encode(refusedRole)) {
                return HTTPResponse(status: 403, body: Array("""
                    <ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole on resource: \(refusedRole)</Message></Error><RequestId>r-1</RequestId></ErrorResponse>
                    """.utf8))
            }
            return try await inner.send(request, streamingInto: &consumer)
        }
    }

    @Test func aRefusedAccountIsThatAccountsErrorOnly() async throws {
        let organization = try await Self.organization(tampers: [])
        let member = try #require(organization.plan.includeAccounts.first { $0 != organization.management })
        let refused = "arn:aws:iam::\(member):role/TrailWardenAudit"
        let state = try SQLiteStateStore(path: organization.statePath)
        let source = try Self.source(http: RefusingHTTPClient(inner: Emulator.http, refusedRole: refused))
        let report = try await ScanCoordinator(plan: organization.plan, source: source, state: state).run(request: "{}")
        #expect(report.hasErrors)
        let memberReport = try #require(report.accounts.first { $0.accountID == member })
        #expect(memberReport.errors.count == 1)
        #expect(memberReport.errors.first?.contains("cannot enter account \(member)") == true)
        #expect(memberReport.errors.first?.contains("AccessDenied") == true)
        // The organization trail's bucket is read through the management account, so the member's chains are still validated.
        #expect(memberReport.chains.count == 2 && memberReport.chains.allSatisfy { $0.error == nil })
        #expect(report.accounts.first { $0.accountID == organization.management }?.errors.isEmpty == true)
        #expect(try await state.runs().first?.status == .incomplete)
    }

    /// AWS shows an organization trail as a shadow trail in every member
    /// account: it must still become one trail, read as its owner reads it.
    /// With S3 refusing reads across accounts, a bucket role in an account
    /// that does not own the bucket fails those chains, and only those.
    /// With S3 refusing reads across accounts: an organization trail whose
    /// bucket lives in a log-archive account is read through that account's
    /// role; a bucket role in an account that does not own the bucket fails
    /// those chains, and only those.
    @Test func aLogArchiveBucketIsReadThroughItsOwnRoleAndNoOther() async throws {
        let strict = try Emulator.strictEndpoint()
        let archiveAccount = String(UInt64.random(in: 900_000_000_000...999_000_000_000))
        let organization = try await Self.organization(tampers: [], endpoint: strict, archiveAccount: archiveAccount)
        let orgBucket = try #require(organization.world.manifest.chains.first { $0.isOrganizationTrail }?.chain.bucket)
        let source = try Self.source(endpoint: strict)

        var plan = organization.plan
        plan.bucketRoles[orgBucket] = RoleTarget(roleARN: "arn:aws:iam::\(archiveAccount):role/LogArchiveReader")
        let allowed = try await ScanCoordinator(plan: plan, source: source, state: try SQLiteStateStore(path: organization.statePath)).run(request: "{}")
        #expect(!allowed.hasErrors)
        #expect(allowed.accounts.flatMap(\.chains).filter { $0.chain.bucket == orgBucket }.allSatisfy { $0.tally.validDigests > 0 })

        plan.bucketRoles[orgBucket] = RoleTarget(roleARN: "arn:aws:iam::999999999999:role/LogArchiveReader")
        let report = try await ScanCoordinator(plan: plan, source: source, state: try SQLiteStateStore(path: organization.statePath + "-denied")).run(request: "{}")
        let chains = report.accounts.flatMap(\.chains)
        let denied = chains.filter { $0.chain.bucket == orgBucket }
        #expect(!denied.isEmpty && denied.allSatisfy { $0.error?.contains("AccessDenied") == true })
        let readable = chains.filter { $0.chain.bucket != orgBucket }
        #expect(!readable.isEmpty && readable.allSatisfy { $0.error == nil && $0.tally.validDigests > 0 })
        #expect(report.hasErrors)
    }

    /// Counts object reads (GETs of a key, no query) on their way to the emulator.
    final class CountingHTTPClient: HTTPClient, @unchecked Sendable {
        // The counter is only touched under the lock.
        private let lock = NSLock()
        private var reads = 0
        let inner: any HTTPClient

        init(inner: any HTTPClient) { self.inner = inner }

        var objectReads: Int { lock.withLock { reads } }

        func send<Consumer: BodyConsumer>(_ request: HTTPRequest, streamingInto consumer: inout Consumer) async throws -> HTTPResponse {
            let path = request.url.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false).dropFirst(3).first ?? ""
            if request.method == "GET", !request.url.contains("?"), path.split(separator: "/").count >= 2 {
                lock.withLock { reads += 1 }
            }
            return try await inner.send(request, streamingInto: &consumer)
        }
    }

    /// The acceptance: an organization of 5 accounts × 2 regions × 2
    /// trails (one an organization trail); the report's totals equal the sum of
    /// `validate` over every chain, and a rescan with nothing new reads no object.
    @Test func organizationTotalsEqualValidateAndANoChangeRescanReadsNothing() async throws {
        let firstAccount = UInt64.random(in: 200_000_000_000...800_000_000_000)
        let credentials = try await Emulator.credentials(for: String(firstAccount))
        let spec = WorldSpec(accounts: 5, regions: ["us-east-1", "eu-west-1"], hours: 12, logsPerDigest: 2, organizationID: "o-accept\(firstAccount)",
                             accountTrails: true, seed: 21, start: Date().addingTimeInterval(-14 * 3600), firstAccount: firstAccount)
        let world = try WorldBuilder(spec: spec).build()
        try await world.write(to: S3ObjectStore(client: S3Client(transport: try Emulator.transport(credentials), region: "us-east-1")), concurrency: 16)
        try world.publicKeysJSON.write(to: try Emulator.publicKeysDirectory().appendingPathComponent("accept-\(firstAccount).json"))
        let manifest = world.manifest
        #expect(Set(manifest.chains.map(\.chain.accountID)).count == 5 && Set(manifest.chains.map(\.trailARN)).count >= 6)

        var trails = [String: PlannedTrail]()
        for chain in manifest.chains {
            var trail = trails[chain.trailARN] ?? PlannedTrail(arn: TrailARN(chain.trailARN)!, bucket: chain.chain.bucket, prefix: chain.chain.prefix,
                                                               organizationID: chain.chain.organizationID, regions: [])
            trail.regions = Array(Set((trail.regions ?? []) + [chain.chain.sourceRegion])).sorted()
            trails[chain.trailARN] = trail
        }
        let plan = ScanPlan(includeAccounts: Array(Set(manifest.chains.map(\.chain.accountID))).sorted(),
                            role: { RoleTarget(roleARN: "arn:aws:iam::\($0):role/TrailWardenAudit") }, discoverTrails: false,
                            explicitTrails: Array(trails.values), regions: ["us-east-1", "eu-west-1"], accountsInParallel: 4, requestsPerAccount: 8)
        let state = try SQLiteStateStore(path: FileManager.default.temporaryDirectory.appendingPathComponent("tw-accept-\(UUID().uuidString).sqlite").path)
        let counting = CountingHTTPClient(inner: Emulator.http)
        let source = try Self.source(http: counting)
        let first = try await ScanCoordinator(plan: plan, source: source, state: state).run(request: "{}")
        #expect(first.totals.chains == manifest.chains.count && !first.hasErrors)

        let store = S3ObjectStore(client: S3Client(transport: try Emulator.transport(), region: "us-east-1"))
        let keys = StaticPublicKeySource(keys: try PublicKeyList.decode(world.publicKeysJSON, file: "world"))
        var sum = RunTotals()
        for report in first.accounts.flatMap(\.chains) {
            let tally = try await ChainValidator(store: store, keys: keys).validate(
                ValidationRequest(chain: report.chain, start: report.rangeStart, end: report.rangeEnd,
                                  checkUnreferenced: true)) { _ in }.tally
            sum.validDigests += tally.validDigests + tally.validBackfillDigests
            sum.invalidDigests += tally.invalidDigests + tally.invalidBackfillDigests
            sum.validLogs += tally.validLogs
            sum.invalidLogs += tally.invalidLogs
        }
        #expect(first.totals.validDigests == sum.validDigests && first.totals.invalidDigests == sum.invalidDigests)
        #expect(first.totals.validLogs == sum.validLogs && first.totals.invalidLogs == sum.invalidLogs)
        #expect(first.totals.validLogs > 0 && counting.objectReads > first.totals.validLogs)

        let readsBefore = counting.objectReads
        let second = try await ScanCoordinator(plan: plan, source: source, state: state).run(request: "{}")
        #expect(second.totals.chains == manifest.chains.count && !second.hasErrors)
        #expect(counting.objectReads == readsBefore, "\(second.accounts.flatMap(\.chains).filter { $0.tally != ValidationTally() }.map { "\($0.chain) \($0.tally) \($0.rangeStart)" })")
    }

    @Test func aTrailSeenFromManyAccountsIsOneTrailFromItsOwner() throws {
        let arn = try #require(TrailARN("arn:aws:cloudtrail:us-east-1:111111111111:trail/org"))
        func sighting(_ account: String) -> DiscoveredTrail {
            DiscoveredTrail(arn: arn, bucket: "logs", prefix: nil, organizationID: nil, isOrganizationTrail: true, isMultiRegion: true,
                                  regions: nil, discoveredIn: account)
        }
        for order in [["222222222222", "111111111111", "333333333333"], ["111111111111", "222222222222"], ["333333333333", "222222222222"]] {
            let unique = DiscoveredTrail.unique(order.map(sighting))
            #expect(unique.count == 1)
            #expect(unique.first?.discoveredIn == (order.contains("111111111111") ? "111111111111" : order[0]))
        }
    }

    @Test func aBrokenLinkAtTheCheckpointIsReported() throws {
        let object: [String: Any] = [
            "digestStartTime": "2026-01-01T01:00:00Z", "digestEndTime": "2026-01-01T02:00:00Z", "digestS3Bucket": "b", "digestS3Object": "new",
            "digestPublicKeyFingerprint": "f", "previousDigestSignature": "aa", "previousDigestS3Bucket": "b", "previousDigestS3Object": "old",
            "previousDigestHashValue": "bb", "logFiles": [[String: Any]](),
        ]
        let file = try DigestFile(json: [UInt8](JSONSerialization.data(withJSONObject: object)))
        let digest = VerifiedDigest(location: ObjectLocation(bucket: "b", key: "new"), kind: .standard, file: file,
                                    startTime: Date(timeIntervalSince1970: 0), endTime: Date(timeIntervalSince1970: 3600), uncompressedSHA256: "cc", signature: "dd")
        let outcome = ValidationOutcome(tally: ValidationTally(), newestVerifiedDigest: digest, oldestListedDigest: digest, listedDigestCount: 1)
        let linked = Checkpoint(digestKey: "old", digestEndTime: Date(timeIntervalSince1970: 0), signature: "aa", sha256: "bb")
        #expect(ChainStep.continuityFindings(outcome, checkpoint: linked, resumed: true).isEmpty)
        var replaced = linked
        replaced.sha256 = "ff"
        #expect(ChainStep.continuityFindings(outcome, checkpoint: replaced, resumed: true).map(\.kind) == [.chainCheckpointBreak])
        #expect(ChainStep.continuityFindings(outcome, checkpoint: replaced, resumed: false).isEmpty)
        var elsewhere = linked
        elsewhere.digestKey = "other"
        #expect(ChainStep.continuityFindings(outcome, checkpoint: elsewhere, resumed: true).count == 1)
    }
}
