import Foundation
import Testing
import TrailWardenSimulation
import TrailWardenTestSupport
import TrailWardenVocabulary

/// Tests/Support/fast_s3.py, the stand-in the benchmarks measure TrailWarden against, must answer
/// like the emulator: one tampered world served by it from its folder and uploaded to moto, and
/// `aws cloudtrail validate-logs` run on every chain over both (an organization trail included, found
/// through DescribeTrails and DescribeOrganization) must print the same and exit the same.
@Suite(.serialized) struct FastS3StandInTests {
    @Test func theReferenceGetsTheSameAnswersFromTheStandInAsFromTheEmulator() async throws {
        let managementAccount = String(UInt64.random(in: 200_000_000_000...800_000_000_000))
        let management = try await Emulator.credentials(for: managementAccount)
        let organization = try #require(try Emulator.admin(["create-organization"], as: management) as? [String: Any])
        let organizationID = try #require(organization["Id"] as? String)
        let simulate = ["--accounts", "2", "--hours", "48", "--logs-per-digest", "3", "--tamper", "all", "--seed", "11",
                        "--org-id", organizationID, "--first-account", managementAccount]
        let local = try await SimulatedWorld(simulate)
        defer { local.remove() }
        let motoEnvironment = try Emulator.environment(management)
        let upload = try Processes.run(Processes.trailwarden, ["simulate", "--out", "s3://tw-fast-s3-\(UUID().uuidString.prefix(8).lowercased())/world"] + simulate,
                                       environment: motoEnvironment)
        try #require(upload.code == 0, "\(upload.standardError)")
        let keysDirectory = try Emulator.publicKeysDirectory()
        try FileManager.default.createDirectory(at: keysDirectory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: local.keysFile, toPath: keysDirectory.appendingPathComponent("fast-s3-\(UUID().uuidString).json").path)
        let orgTrail = try #require(local.manifest.chains.first { $0.isOrganizationTrail })
        _ = try Emulator.admin(["create-trail", orgTrail.chain.trailName, orgTrail.chain.bucket, orgTrail.chain.prefix ?? "", "us-east-1", "true"],
                               as: management)

        let standIn = try BackgroundServer(script: "fast_s3.py", [local.root.path])
        defer { standIn.stop() }
        let standInEnvironment = try Emulator.environment(management, endpoint: standIn.endpoint)
        let manifest = local.manifest
        var findings = 0
        for chain in manifest.chains {
            var arguments = ["--region", chain.chain.sourceRegion, "cloudtrail", "validate-logs", "--verbose", "--trail-arn", chain.trailARN,
                             "--start-time", CloudTrailTime.display(manifest.start), "--end-time", CloudTrailTime.display(manifest.end),
                             "--account-id", chain.chain.accountID]
            if !chain.isOrganizationTrail {
                arguments += ["--s3-bucket", chain.chain.bucket] + (chain.chain.prefix.map { ["--s3-prefix", $0] } ?? [])
            }
            let overMoto = try Processes.run("aws", arguments, environment: motoEnvironment)
            let overStandIn = try Processes.run("aws", arguments, environment: standInEnvironment)
            #expect(overStandIn.standardOutput == overMoto.standardOutput, "\(chain.chain)")
            #expect(overStandIn.standardError == overMoto.standardError, "\(chain.chain)")
            #expect(overStandIn.code == overMoto.code, "\(chain.chain)")
            if overMoto.code != 0 { findings += 1 }
        }
        // The comparison means something only if the reference found the tampering over both.
        #expect(findings > 0)
    }
}
