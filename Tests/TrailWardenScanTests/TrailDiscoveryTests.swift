import Foundation
import Testing
import TrailWardenVocabulary
import TrailWardenAWS
import TrailWardenCore
import TrailWardenSimulation
import TrailWardenState
import TrailWardenStorage
import TrailWardenTestSupport
@testable import TrailWardenScan

/// Trail discovery against the emulator with the default configuration (`regions:
/// "discover"`, no region listed): trails homed in any region are found.
@Suite(.serialized) struct TrailDiscoveryTests {
    /// Two accounts whose single-region trails are homed in three regions, one world per
    /// home region, written to the emulator with their trails created there.
    struct MultiRegionOrganization {
        var accounts: [String]
        var chains: [WorldChain]
    }

    static let homeRegions = ["us-east-1", "us-west-2", "eu-west-1"]

    static func multiRegionOrganization() async throws -> MultiRegionOrganization {
        let firstAccount = UInt64.random(in: 200_000_000_000...800_000_000_000)
        var chains = [WorldChain]()
        for (index, region) in homeRegions.enumerated() {
            let spec = WorldSpec(accounts: 2, regions: [region], hours: 12, logsPerDigest: 1, seed: UInt64(index + 1),
                                 start: Date().addingTimeInterval(-14 * 3600), firstAccount: firstAccount)
            let world = try WorldBuilder(spec: spec).build()
            for account in Set(world.manifest.chains.map(\.chain.accountID)) {
                let credentials = try await Emulator.credentials(for: account)
                let store = S3ObjectStore(client: S3Client(transport: try Emulator.transport(credentials), region: "us-east-1"))
                for (location, object) in world.objects where location.bucket == "trailwarden-sim-\(account)" {
                    try await store.put(location, body: object.body, metadata: object.metadata)
                }
                for chain in world.manifest.chains where chain.chain.accountID == account {
                    _ = try Emulator.admin(["create-trail", chain.chain.trailName, chain.chain.bucket, chain.chain.prefix ?? "", region, "false", "false"],
                                           as: credentials)
                }
            }
            try world.publicKeysJSON.write(to: try Emulator.publicKeysDirectory().appendingPathComponent("discovery-\(firstAccount)-\(region).json"))
            chains += world.manifest.chains
        }
        return MultiRegionOrganization(accounts: Array(Set(chains.map(\.chain.accountID))).sorted(), chains: chains)
    }

    @Test func everyTrailIsFoundWhateverItsHomeRegionWithNoRegionConfigured() async throws {
        let organization = try await Self.multiRegionOrganization()
        #expect(Set(organization.chains.map(\.chain.homeRegion)) == Set(Self.homeRegions))
        let plan = ScanPlan(includeAccounts: organization.accounts, role: { RoleTarget(roleARN: "arn:aws:iam::\($0):role/TrailWardenAudit") },
                            regions: nil, discoveryRegions: ["us-east-1"], accountsInParallel: 4, requestsPerAccount: 8)
        let state = try SQLiteStateStore(path: FileManager.default.temporaryDirectory.appendingPathComponent("tw-discovery-\(UUID().uuidString).sqlite").path)
        let report = try await ScanCoordinator(plan: plan, source: try ScanCoordinatorTests.source(), state: state).run(request: "{}")
        #expect(report.accounts.flatMap(\.errors).isEmpty)
        let chains = report.accounts.flatMap(\.chains)
        #expect(Set(chains.map(\.chain)) == Set(organization.chains.map(\.chain)))
        #expect(Set(chains.map(\.trailARN)) == Set(organization.chains.map(\.trailARN)))
        #expect(chains.allSatisfy { $0.error == nil && $0.tally.validDigests > 0 && $0.findings.isEmpty })

        // Every enabled region but the three homes is uncovered, in each account.
        let enabled = try await EC2Client(transport: try Emulator.transport(), region: "us-east-1").enabledRegions()
            .filter { RegionCoverage.partition(of: $0) == "aws" }
        let uncovered = Set(enabled).subtracting(Self.homeRegions)
        #expect(uncovered.count >= 5)
        for account in report.accounts {
            #expect(Set(account.postureFindings.filter { $0.kind == FindingKind.regionUncovered }.map(\.object)) == Set(uncovered.map { "\(account.accountID)/\($0)" }))
        }
        #expect(report.accounts.flatMap(\.postureFindings).allSatisfy {
            $0.message == "Region\t\($0.object)\tINVALID: no trail with log file validation delivers for this account and region"
        })
        #expect(FindingKind.regionUncovered.category == .posture)

        // A multi-region trail in the second account covers its regions: a complete run resolves them there only.
        let second = organization.accounts[1]
        _ = try Emulator.admin(["create-trail", "everywhere", "trailwarden-sim-\(second)", "extra", "us-east-1", "false", "true"],
                               as: try await Emulator.credentials(for: second))
        let again = try await ScanCoordinator(plan: plan, source: try ScanCoordinatorTests.source(), state: state).run(request: "{}")
        #expect(again.accounts.first { $0.accountID == second }?.postureFindings.isEmpty == true)
        let stored = try await state.findings(chain: nil).filter { $0.kind == FindingKind.regionUncovered }
        #expect(stored.filter { $0.accountID == second }.allSatisfy { $0.status == FindingStatus.resolved })
        #expect(stored.filter { $0.accountID != second }.count == uncovered.count)
        #expect(stored.filter { $0.accountID != second }.allSatisfy { $0.status == FindingStatus.open })
    }

    /// Coverage is judged over the regions the account enabled: an opt-in region counts once
    /// enabled (Account ListRegions), and still when ListRegions is refused (EC2 DescribeRegions).
    @Test func anOptInRegionEnabledThroughListRegionsCountsAndDescribeRegionsStandsInWhenRefused() async throws {
        let first = UInt64.random(in: 200_000_000_000...800_000_000_000)
        let (optedIn, other) = (String(first), String(first + 1))
        let credentials = try await Emulator.credentials(for: optedIn)
        _ = try Emulator.admin(["enable-region", "me-south-1"], as: credentials)
        let plan = ScanPlan(includeAccounts: [optedIn, other], role: { RoleTarget(roleARN: "arn:aws:iam::\($0):role/TrailWardenAudit") },
                            regions: nil, discoveryRegions: ["us-east-1"], accountsInParallel: 2)
        let state = try SQLiteStateStore(path: FileManager.default.temporaryDirectory.appendingPathComponent("tw-optin-\(UUID().uuidString).sqlite").path)
        func uncovered(_ report: ScanReport, _ account: String) -> Set<String> {
            Set(report.accounts.first { $0.accountID == account }?.postureFindings.filter { $0.kind == FindingKind.regionUncovered }.map(\.object) ?? [])
        }
        let byDefault = try await AccountClient(transport: try Emulator.transport(credentials)).enabledRegions().filter { $0 != "me-south-1" }
        #expect(byDefault.count >= 10 && !byDefault.contains("il-central-1"))

        let listed = try await ScanCoordinator(plan: plan, source: try ScanCoordinatorTests.source(), state: state).run(request: "{}")
        #expect(!listed.hasErrors)
        #expect(uncovered(listed, optedIn) == Set((byDefault + ["me-south-1"]).map { "\(optedIn)/\($0)" }))
        #expect(uncovered(listed, other) == Set(byDefault.map { "\(other)/\($0)" }))

        // ListRegions refused (an SCP denying account:*): DescribeRegions says the same, and nothing is an error.
        _ = try Emulator.admin(["refuse-account-api", optedIn, "true"])
        defer { _ = try? Emulator.admin(["refuse-account-api", optedIn, "false"]) }
        await #expect(throws: AWSError.self) { try await AccountClient(transport: try Emulator.transport(credentials)).enabledRegions() }
        let described = try await ScanCoordinator(plan: plan, source: try ScanCoordinatorTests.source(), state: state).run(request: "{}")
        #expect(!described.hasErrors, "\(described.accounts.flatMap(\.errors))")
        #expect(uncovered(described, optedIn) == uncovered(listed, optedIn))
        #expect(uncovered(described, other) == uncovered(listed, other))

        // Neither answers (both endpoints dead): the account's error says so, and coverage is not judged.
        let endpoints = ConfiguredEndpoints(environmentServices: ["account": "http://127.0.0.1:9", "ec2": "http://127.0.0.1:9"],
                                            environmentGlobal: try Emulator.endpoint())
        let blind = AWSScanSource(session: AWSTransport(http: Emulator.http, credentials: StaticCredentialProvider(Emulator.defaultCredentials),
                                                        endpoints: endpoints), region: "us-east-1")
        let unknown = try await ScanCoordinator(plan: plan, source: blind, state: state).run(request: "{}")
        for account in unknown.accounts {
            #expect(account.errors.count == 1 && account.postureFindings.isEmpty)
            #expect(account.errors.first?.hasPrefix("enabled regions of \(account.accountID): Account ListRegions: ") == true)
            #expect(account.errors.first?.contains("; EC2 DescribeRegions in us-east-1: ") == true)
        }
    }
}
