import Foundation
import Testing
import TrailWardenAWS
import TrailWardenCore
import TrailWardenHTTP
import TrailWardenSimulation
import TrailWardenStorage
import TrailWardenTestSupport
@testable import TrailWardenCLI
import TrailWardenVocabulary

/// The proof: a tampered world uploaded to the emulator by
/// `trailwarden simulate --out s3://`, then, for every chain (organization
/// trail included), `aws cloudtrail validate-logs` and `trailwarden validate`
/// run as processes with the same arguments and environment. Their stdout,
/// stderr and exit codes must be identical apart from TrailWarden's own checks.
@Suite(.serialized) struct MotoDifferentialTests {
    @Test func validateMatchesTheReferenceOverTheEmulator() async throws {
        let endpoint = try Emulator.endpoint()
        // Accounts of its own, so that worlds sharing the emulator never share a bucket.
        let managementAccount = String(UInt64.random(in: 200_000_000_000...800_000_000_000))
        let management = try await Emulator.credentials(for: managementAccount)
        let organization = try #require(try Emulator.admin(["create-organization"], as: management) as? [String: Any])
        let organizationID = try #require(organization["Id"] as? String)
        let simulate = ["--accounts", "2", "--hours", "48", "--logs-per-digest", "3", "--tamper", "all", "--seed", "9", "--org-id", organizationID,
                        "--first-account", managementAccount]

        // The same world locally (for its manifest and keys) and in the emulator, through the real binary.
        let local = try await SimulatedWorld(simulate)
        defer { local.remove() }
        let environment = try Emulator.environment(management)
        let upload = try Processes.run(Processes.trailwarden, ["simulate", "--out", "s3://tw-manifests-\(UUID().uuidString.prefix(8).lowercased())/world"] + simulate,
                                       environment: environment)
        #expect(upload.code == 0, "\(upload.standardError)")
        let keysDirectory = try Emulator.publicKeysDirectory()
        try FileManager.default.createDirectory(at: keysDirectory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: local.keysFile, toPath: keysDirectory.appendingPathComponent("world-\(UUID().uuidString).json").path)
        let orgTrail = try #require(local.manifest.chains.first { $0.isOrganizationTrail })
        _ = try Emulator.admin(["create-trail", orgTrail.chain.trailName, orgTrail.chain.bucket, orgTrail.chain.prefix ?? "", "us-east-1", "true"],
                               as: management)

        let transport = AWSTransport(http: CurlHTTPClient(), credentials: StaticCredentialProvider(management), endpointOverride: endpoint)
        let store = S3ObjectStore(client: S3Client(transport: transport, region: "us-east-1"))
        let keys = try KeyFiles.load([local.keysFile])
        let manifest = local.manifest
        for chain in manifest.chains {
            var events = [ValidationEvent]()
            _ = try await ChainValidator(store: store, keys: keys).validate(
                ValidationRequest(chain: chain.chain, start: manifest.start, end: manifest.end)) { events.append($0) }
            // Organization trails are found through DescribeTrails and DescribeOrganization, as users run them.
            var arguments = ["--trail-arn", chain.trailARN, "--start-time", CloudTrailTime.display(manifest.start),
                             "--end-time", CloudTrailTime.display(manifest.end), "--account-id", chain.chain.accountID]
            if !chain.isOrganizationTrail {
                arguments += ["--s3-bucket", chain.chain.bucket] + (chain.chain.prefix.map { ["--s3-prefix", $0] } ?? [])
            }
            for verbose in [false, true] {
                let flags = arguments + (verbose ? ["--verbose"] : [])
                let label = "\(chain.chain) verbose=\(verbose)"
                let reference = try Processes.run("aws", ["--region", chain.chain.sourceRegion, "cloudtrail", "validate-logs"] + flags,
                                                  environment: environment)
                let expectedReference = ReferenceDifferentialTests.render(ReferenceDifferentialTests.referenceView(events), arn: chain.trailARN,
                                                                          start: manifest.start, end: manifest.end, verbose: verbose)
                #expect(reference.standardOutput == expectedReference.standardOutput, "\(label)")
                #expect(reference.standardError == expectedReference.standardError, "\(label)")
                #expect(reference.code == expectedReference.code, "\(label)")

                let ours = try Processes.run(Processes.trailwarden, ["validate", "--region", chain.chain.sourceRegion] + flags, environment: environment)
                let expectedOurs = ReferenceDifferentialTests.render(events, arn: chain.trailARN, start: manifest.start, end: manifest.end, verbose: verbose)
                #expect(ours.standardOutput == expectedOurs.standardOutput, "\(label)")
                #expect(ours.standardError == expectedOurs.standardError, "\(label)")
                #expect(ours.code == (events.contains(where: \.isFinding) ? 1 : 0), "\(label)")
            }
        }
        #expect(Set(manifest.chains.flatMap { $0.expectedFindings.map(\.tamper) }) == Set(TamperKind.allCases))
    }
}
