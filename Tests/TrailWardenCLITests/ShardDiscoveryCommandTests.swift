import Foundation
import Testing
import TrailWardenAWS
import TrailWardenScan
import TrailWardenSimulation
import TrailWardenTestSupport

/// `scan --shard` against the emulator, listing the organization: each shard enters only its
/// own accounts and the management account (its progress names every account it discovers),
/// and reports for its accounts what one unsharded scan reports.
@Suite(.serialized) struct ShardDiscoveryCommandTests {
    /// The JSON report's accounts, each as comparable text: its errors, posture findings and chains.
    static func accounts(_ run: ProcessResult) throws -> [String: String] {
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any], "\(run.standardError)")
        var accounts = [String: String]()
        for account in try #require(report["accounts"] as? [[String: Any]]) {
            let posture = (account["postureFindings"] as? [[String: Any]] ?? []).map { "\($0["kind"] ?? "") \($0["object"] ?? "")" }.sorted()
            let chains = (account["chains"] as? [[String: Any]] ?? []).map { chain in
                let id = (chain["chain"] as? [String: Any] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                return "\(id) \(chain["error"] ?? "")"
            }.sorted()
            accounts[account["accountID"] as? String ?? ""] = "\(account["errors"] ?? "") \(posture) \(chains)"
        }
        return accounts
    }

    /// The accounts the progress says were discovered (`account ID: N trails`).
    static func discovered(_ run: ProcessResult) -> Set<String> {
        Set(run.standardError.split(separator: "\n").compactMap { line in
            line.hasPrefix("account ") && line.contains(": ") ? String(line.dropFirst(8).prefix(12)) : nil
        })
    }

    @Test func eachShardEntersItsAccountsAndTheManagementAccountAndMatchesOneScan() async throws {
        let management = String(UInt64.random(in: 200_000_000_000...800_000_000_000))
        let credentials = try await Emulator.credentials(for: management)
        _ = try Emulator.admin(["create-organization"], as: credentials)
        let members = try #require((try Emulator.admin(["create-accounts", "shardisc", "5"], as: credentials) as? [String: Any])?["Ids"] as? [String])
        let all = Set(members + [management])
        // A single-region organization trail: every account's eu-west-1 is uncovered.
        let bucket = "tw-shardisc-\(management)"
        _ = try Emulator.admin(["create-bucket", bucket], as: credentials)
        _ = try Emulator.admin(["create-trail", "org-trail", bucket, "org", "us-east-1", "true", "false"], as: credentials)
        // Keys for the chains' time window (they have no digest: each is undelivered).
        let keys = try WorldBuilder(spec: WorldSpec(accounts: 1, regions: ["us-east-1"], hours: 12, start: Date().addingTimeInterval(-13 * 3600))).build()
        try keys.publicKeysJSON.write(to: try Emulator.publicKeysDirectory().appendingPathComponent("shardisc-\(management).json"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tw-shardisc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("accounts.json")
        try Data(#"{"organization": {}, "roles": {"default": "TrailWardenAudit"}, "regions": ["us-east-1", "eu-west-1"]}"#.utf8).write(to: config)
        func scan(_ name: String, _ extra: [String] = []) throws -> ProcessResult {
            try Processes.run(Processes.trailwarden, ["scan", "--config", config.path, "--format", "json", "--no-alarms",
                                                      "--state", folder.appendingPathComponent(name).path] + extra,
                              environment: try Emulator.environment(credentials))
        }

        let whole = try scan("whole.sqlite")
        #expect(whole.code == 1, "\(whole.standardError)")
        #expect(Self.discovered(whole) == all)
        let expected = try Self.accounts(whole)
        #expect(Set(expected.keys) == all)
        #expect(expected.allSatisfy { $0.value.contains("region-uncovered \($0.key)/eu-west-1") && $0.value.contains("org-trail") })

        let count = 3
        var merged = [String: String]()
        for index in 0..<count {
            let shard = try ShardAssignment(index: index, count: count)
            let run = try scan("shard-\(index).sqlite", ["--shard", "\(shard)"])
            #expect([0, 1].contains(run.code), "\(run.standardError)")
            let owned = all.filter(shard.owns)
            #expect(Self.discovered(run) == owned.union([management]), "\(run.standardError)")
            if !shard.owns(management) {
                #expect(run.standardError.contains("shard \(shard) discovers \(owned.count + 1) of \(all.count) accounts: its \(owned.count) and \(management)"),
                        "\(run.standardError)")
            }
            let accounts = try Self.accounts(run)
            #expect(Set(accounts.keys) == owned)
            merged.merge(accounts) { first, _ in first }
        }
        #expect(merged == expected)
    }
}
