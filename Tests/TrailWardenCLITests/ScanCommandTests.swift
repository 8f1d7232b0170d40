import Foundation
import Testing
import TrailWardenAWS
import TrailWardenCore
import TrailWardenSimulation
import TrailWardenStorage
import TrailWardenTestSupport
@testable import TrailWardenCLI
import TrailWardenVocabulary

/// `trailwarden scan` as operators run it: a configuration file, the real
/// binary, the emulator, a state file, exit codes and the JSON report.
@Suite(.serialized) struct ScanCommandTests {
    @Test func scansAnOrganizationThenFindsNothingNewOnTheNextRun() async throws {
        let firstAccount = UInt64.random(in: 200_000_000_000...800_000_000_000)
        let management = String(firstAccount)
        let credentials = try await Emulator.credentials(for: management)
        let organization = try #require(try Emulator.admin(["create-organization"], as: credentials) as? [String: Any])
        let start = CloudTrailTime.display(Date().addingTimeInterval(-26 * 3600))
        let simulate = ["--accounts", "2", "--hours", "24", "--logs-per-digest", "2", "--tamper", "digest-delete,log-modify",
                        "--org-id", try #require(organization["Id"] as? String), "--first-account", management, "--start", start]
        let local = try await SimulatedWorld(simulate)
        defer { local.remove() }
        let environment = try Emulator.environment(credentials)
        #expect(try Processes.run(Processes.trailwarden, ["simulate", "--out", "s3://tw-scan-manifests-\(firstAccount)"] + simulate,
                                  environment: environment).code == 0)
        try FileManager.default.copyItem(atPath: local.keysFile,
                                         toPath: try Emulator.publicKeysDirectory().appendingPathComponent("scan-\(firstAccount).json").path)
        // The organization trail (multi-region) and the management account's own single-region trail.
        for trail in local.manifest.chains where trail.chain.accountID == management && trail.chain.sourceRegion == "us-east-1" {
            let organizationTrail = trail.isOrganizationTrail ? "true" : "false"
            _ = try Emulator.admin(["create-trail", trail.chain.trailName, trail.chain.bucket, trail.chain.prefix ?? "", "us-east-1",
                                    organizationTrail, organizationTrail], as: credentials)
        }

        let folder = local.root.appendingPathComponent("scan")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let accounts = Set(local.manifest.chains.map(\.chain.accountID)).sorted().map { "\"\($0)\"" }.joined(separator: ", ")
        let config = folder.appendingPathComponent("accounts.json")
        try Data("""
        {
          "accounts": { "include": [\(accounts)] },
          "roles": { "default": { "name": "TrailWardenAudit", "externalId": "tw-test" } },
          "regions": ["us-east-1", "eu-west-1"],
          "state": "\(folder.appendingPathComponent("state.sqlite").path)"
        }
        """.utf8).write(to: config)
        // The scanner runs as the emulator's default (security) account and assumes a role into each account.
        let scanner = try Emulator.environment(Emulator.defaultCredentials)
        let report = folder.appendingPathComponent("report.json").path
        let first = try Processes.run(Processes.trailwarden, ["scan", "--config", config.path, "--report", report, "--quiet"], environment: scanner)
        #expect(first.code == 1, "\(first.standardError)")
        // With --quiet, standard error has only the reference-style INVALID lines, one per finding.
        let expectedFindings = local.manifest.chains.map(\.expectedFindings.count).reduce(0, +)
        let invalidLines = first.standardError.split(separator: "\n")
        #expect(invalidLines.count == expectedFindings && invalidLines.allSatisfy { $0.contains("\tINVALID: ") })
        // The report file is this scan's compliance report; its summary lines up with the scan's totals.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any])
        let summary = try #require(json["summary"] as? [String: Any])
        #expect(summary["chains"] as? Int == local.manifest.chains.count)
        #expect(summary["findings"] as? Int == expectedFindings)
        #expect(summary["errors"] as? Int == 0)
        #expect(first.standardOutput.contains("\(local.manifest.chains.count) chains"))

        // Nothing new, but the first run's findings are still open: exit code 1 (docs/scan.md#exit-codes).
        let second = try Processes.run(Processes.trailwarden, ["scan", "--config", config.path, "--format", "json", "--quiet"], environment: scanner)
        #expect(second.code == 1, "\(second.standardError)")
        let again = try #require(try JSONSerialization.jsonObject(with: Data(second.standardOutput.utf8)) as? [String: Any])
        #expect((again["totals"] as? [String: Int])?["validDigests"] == 0)
    }

    @Test func configurationAndStateProblemsAreUsageErrors() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tw-scan-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("accounts.json")
        try Data(#"{"acounts": {}}"#.utf8).write(to: config)
        let bad = await Run(["scan", "--config", config.path])
        #expect(bad.code == 2)
        #expect(bad.standardError.hasPrefix("trailwarden scan: error: \(config.path): "))
        #expect(bad.standardError.contains("acounts"))
        #expect(bad.standardError.split(separator: "\n").count == 1)
        let missing = await Run(["scan"])
        #expect(missing.standardError == "trailwarden scan: error: missing required option --config\n")
    }
}
