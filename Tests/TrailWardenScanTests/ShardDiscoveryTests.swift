import Foundation
import Testing
import TrailWardenAWS
import TrailWardenCore
import TrailWardenSimulation
import TrailWardenState
import TrailWardenStorage
@testable import TrailWardenScan

/// A shard discovers only its own accounts and the organization's management account (the
/// owner of every organization trail), and still reports for its accounts exactly what an
/// unsharded scan reports: chains, posture, coverage and errors. Where the management account
/// is not known, every shard discovers every account, as before, and says so.
@Suite struct ShardDiscoveryTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-shardisc-\(UUID().uuidString)")
    let until = Date()

    /// AWS for discovery, the archive for the objects.
    struct Source: ScanSource {
        let discovery: TrailDiscovery?
        let store: LocalDirectoryStore
        let keys: StaticPublicKeySource
        func callerIdentity() -> String { "arn:aws:iam::999999999999:user/scanner" }
        func objectStore(bucket: String, role: RoleTarget?, region: String) -> any ObjectStore { store }
        func publicKeys(region: String) -> any PublicKeySource { keys }
    }

    final class Lines: @unchecked Sendable {
        // Touched only under the lock.
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.withLock { lines.append(line) } }
        var all: [String] { lock.withLock { lines } }
    }

    /// An organization trail over six accounts and a trail of each account's own, one region, a tampered log file.
    func world() async throws -> World {
        let world = try WorldBuilder(spec: WorldSpec(accounts: 6, regions: ["us-east-1"], hours: 24, logsPerDigest: 2, organizationID: "o-shardisc01",
                                                     accountTrails: true, tampers: [.logModify], seed: 9,
                                                     start: until.addingTimeInterval(-24.5 * 3600))).build()
        try await world.write(to: LocalDirectoryStore(root: root))
        return world
    }

    func scan(_ world: World, _ aws: FakeOrganizationAWS, shard: ShardAssignment?, discoverAccounts: Bool = true) async throws -> (ScanReport, [String]) {
        let transport = AWSTransport(http: aws, credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: FakeOrganizationAWS.scannerKey,
                                                                                                     secretAccessKey: "fake")),
                                     endpointOverride: "http://aws.invalid")
        let source = Source(discovery: TrailDiscovery(access: AccountAccess(base: transport, region: "us-east-1"), region: "us-east-1"),
                            store: LocalDirectoryStore(root: root), keys: StaticPublicKeySource(keys: try PublicKeyList.decode(world.publicKeysJSON, file: "world")))
        var plan = ScanPlan(discoverAccounts: discoverAccounts, includeAccounts: discoverAccounts ? [] : aws.accounts,
                            role: { RoleTarget(roleARN: "arn:aws:iam::\($0):role/TrailWardenAudit") }, regions: nil, discoveryRegions: ["us-east-1"],
                            accountsInParallel: 4, firstScanLookback: 2 * 86400)
        plan.until = until
        plan.shard = shard
        let state = try SQLiteStateStore(path: root.appendingPathComponent("state-\(UUID().uuidString).sqlite").path)
        let lines = Lines()
        let report = try await ScanCoordinator(plan: plan, source: source, state: state, progress: lines.append).run(request: "{}")
        await state.close()
        return (report, lines.all)
    }

    /// What a report says of one account, as comparable text.
    static func outline(_ account: ScanReport.AccountReport) -> [String] {
        [account.accountID] + account.errors.map { "error \($0)" } + account.postureFindings.map { "posture \($0.kind) \($0.object)" }.sorted()
            + account.chains.map { "chain \($0.chain) \($0.tally) \($0.findings.map { "\($0.kind) \($0.object)" }.sorted()) \($0.error ?? "")" }.sorted()
    }

    static func outlines(_ report: ScanReport) -> [String: [String]] {
        Dictionary(uniqueKeysWithValues: report.accounts.map { ($0.accountID, outline($0)) })
    }

    /// Scans unsharded, then as each of `count` shards with a fresh `aws()`: each shard reports its
    /// accounts as the unsharded scan does, and enters `entered(owned)`. Returns the unsharded
    /// report and each shard's progress lines.
    func expectShardsMatch(_ world: World, count: Int, discoverAccounts: Bool = true, aws: () -> FakeOrganizationAWS,
                           entered: (Set<String>) -> Set<String>) async throws -> (ScanReport, [[String]]) {
        let unshardedAWS = aws()
        let (unsharded, _) = try await scan(world, unshardedAWS, shard: nil, discoverAccounts: discoverAccounts)
        let all = Set(unshardedAWS.accounts)
        #expect(Set(unshardedAWS.counts("AssumeRole").keys) == all && Set(unsharded.accounts.map(\.accountID)) == all)
        let expected = Self.outlines(unsharded)
        var progress = [[String]](), merged = [String: [String]]()
        for index in 0..<count {
            let shard = try ShardAssignment(index: index, count: count)
            let shardAWS = aws()
            let (report, lines) = try await scan(world, shardAWS, shard: shard, discoverAccounts: discoverAccounts)
            let owned = all.filter(shard.owns)
            // Entered, and asked about, only as expected: every discovery call is made as an entered account.
            let accounts = entered(owned)
            #expect(Set(shardAWS.counts("AssumeRole").keys) == accounts, "shard \(shard)")
            for operation in ["DescribeTrails", "ListTrails", "ListRegions"] {
                #expect(Set(shardAWS.counts(operation).keys) == accounts.subtracting(shardAWS.refusedAccounts), "shard \(shard) \(operation)")
            }
            #expect(shardAWS.counts("AssumeRole").values.allSatisfy { $0 == 1 } || !shardAWS.refusedAccounts.isEmpty)
            #expect(Set(report.accounts.map(\.accountID)) == owned)
            for (account, outline) in Self.outlines(report) {
                #expect(outline == expected[account], "shard \(shard), account \(account)")
                merged[account] = outline
            }
            progress.append(lines)
        }
        #expect(merged == expected)
        return (unsharded, progress)
    }

    /// A shard count of which some shard owns accounts but not the management account.
    static func count(_ accounts: [String], management: String) throws -> Int {
        try #require([3, 2, 4].first { count in
            (0..<count).contains { index in
                index != ShardAssignment.shard(of: management, count: count) && accounts.contains { ShardAssignment.shard(of: $0, count: count) == index }
            }
        })
    }

    @Test func aShardEntersOnlyItsAccountsAndTheManagementAccount() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let world = try await world()
        let probe = FakeOrganizationAWS(world.manifest)
        let management = probe.management
        let count = try Self.count(probe.accounts, management: management)
        let (unsharded, progress) = try await expectShardsMatch(world, count: count, aws: { FakeOrganizationAWS(world.manifest, stoppedTrailsOf: management) },
                                                                entered: { $0.union([management]) })
        // What is compared is there: the organization trail's chains in every account, a finding,
        // the management account's stopped trails, and the uncovered region everywhere.
        #expect(!unsharded.hasErrors && unsharded.totals.findings > 0)
        #expect(unsharded.accounts.allSatisfy { account in account.chains.contains { $0.trailARN.hasSuffix(":trail/org-trail") } })
        #expect(unsharded.accounts.allSatisfy { account in account.postureFindings.contains { $0.kind == .regionUncovered && $0.object == "\(account.accountID)/ap-south-1" } })
        #expect(unsharded.accounts.filter { account in account.postureFindings.contains { $0.kind == .trailLoggingStopped } }.map(\.accountID) == [management])
        for (index, lines) in progress.enumerated() where index != ShardAssignment.shard(of: management, count: count) {
            let owned = probe.accounts.filter { ShardAssignment.shard(of: $0, count: count) == index }.count
            #expect(lines.contains("shard \(index)/\(count) discovers \(owned + 1) of 6 accounts: its \(owned) and \(management), which may own organization trails"),
                    "\(lines)")
        }
    }

    /// An account that cannot be entered leaves only its own coverage unjudged, sharded or not;
    /// the management account, all coverage (it may own an organization trail covering any).
    @Test func anAccountsErrorLeavesItsOwnCoverageUnjudgedAndTheManagementAccountsEveryones() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let world = try await world()
        let probe = FakeOrganizationAWS(world.manifest)
        let management = probe.management
        let count = try Self.count(probe.accounts, management: management)
        let member = try #require(probe.accounts.first { ShardAssignment.shard(of: $0, count: count) != ShardAssignment.shard(of: management, count: count) })
        let uncovered = { (report: ScanReport) in
            Set(report.accounts.filter { $0.postureFindings.contains { $0.kind == .regionUncovered } }.map(\.accountID))
        }

        let (refusedMember, _) = try await expectShardsMatch(world, count: count, aws: { FakeOrganizationAWS(world.manifest, refusedAccounts: [member]) },
                                                             entered: { $0.union([management]) })
        #expect(refusedMember.accounts.first { $0.accountID == member }?.errors.first?.contains("cannot enter account \(member)") == true)
        #expect(uncovered(refusedMember) == Set(probe.accounts).subtracting([member]))

        let (refusedManagement, _) = try await expectShardsMatch(world, count: count, aws: { FakeOrganizationAWS(world.manifest, refusedAccounts: [management]) },
                                                                 entered: { $0.union([management]) })
        #expect(refusedManagement.accounts.first { $0.accountID == management }?.errors.isEmpty == false)
        #expect(uncovered(refusedManagement).isEmpty)
    }

    /// Without the management account (DescribeOrganization refused, or no organization
    /// discovery), every shard discovers every account, says why, and still matches.
    @Test func withoutTheManagementAccountEveryShardDiscoversEveryAccount() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let world = try await world()
        let probe = FakeOrganizationAWS(world.manifest)
        let count = try Self.count(probe.accounts, management: probe.management)
        let all = Set(probe.accounts)
        let (refused, progress) = try await expectShardsMatch(world, count: count, aws: { FakeOrganizationAWS(world.manifest, refusesDescribeOrganization: true) },
                                                              entered: { _ in all })
        #expect(!refused.hasErrors)
        for (index, lines) in progress.enumerated() {
            #expect(lines.contains { $0.hasPrefix("shard \(index)/\(count) discovers every account (6): the owner of the organization trails is not known "
                                                  + "(Organizations DescribeOrganization with the scanner's own credentials: AccessDeniedException: ") }, "\(lines)")
        }

        let (listed, listedProgress) = try await expectShardsMatch(world, count: count, discoverAccounts: false, aws: { FakeOrganizationAWS(world.manifest) },
                                                                   entered: { _ in all })
        #expect(!listed.hasErrors)
        #expect(listedProgress.allSatisfy { $0.contains { $0.hasSuffix("discovers every account (6): the owner of the organization trails is not known (no organization discovery)") } })
    }
}
