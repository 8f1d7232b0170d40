import Foundation
import TrailWardenCore
import TrailWardenSimulation
import TrailWardenStorage

/// `trailwarden demo`: simulates a small organization tampered every way
/// TrailWarden knows, scans it twice with the real `scan` (the second run
/// resumes from the first one's checkpoints), writes the HTML compliance
/// report of both, and checks the findings against the tampering actually done.
enum DemoCommand: Command {
    static let name = "demo"
    static let summary = "Simulate a tampered organization and scan it twice: a tour in one command."
    static let options: [OptionSpec] = [
        .single("out", "URL", "Where to build the demo world (default: a new temporary folder, kept afterwards)."),
    ]

    static func run(_ arguments: ParsedArguments, output: any OutputSink) async throws -> ExitCode {
        let root = try arguments.value("out").map { try StoreURL.localRoot($0, option: "out") }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("trailwarden-demo-\(UUID().uuidString.prefix(8))")
        if let contents = try? FileManager.default.contentsOfDirectory(atPath: root.path), !contents.isEmpty {
            throw UsageError("--out \(root.path) is not empty; use a new or empty folder")
        }
        // Two days of digests ending in the last hour, so that a first scan's look-back covers them.
        let spec = WorldSpec(accounts: 2, regions: ["us-east-1", "eu-west-1"], hours: 48, logsPerDigest: 4,
                             organizationID: "o-demo0example", tampers: TamperKind.allCases, seed: 7, start: Date().addingTimeInterval(-50 * 3600))
        output.out("TrailWarden demo: an organization of \(spec.accounts) accounts × \(spec.regions.count) regions, \(spec.hours) hours of digests, tampered \(spec.tampers.count) ways\n")
        let world = try WorldFiles.build(spec)
        try await WorldFiles.write(world, to: root)
        let configuration = root.appendingPathComponent("accounts.json")
        try OutputFile.write(try configurationText(world.manifest, state: root.appendingPathComponent("trailwarden.sqlite").path), to: configuration.path)
        output.out("World, configuration and state in \(root.path)\n\n")

        let keys = root.appendingPathComponent(WorldManifest.publicKeysFileName).path
        var reports = [URL]()
        for pass in 1...2 {
            let report = root.appendingPathComponent("report-\(pass).json")
            let command = ["--config", configuration.path, "--store", root.absoluteString, "--public-keys", keys, "--report", report.path, "--quiet"]
            output.out("$ trailwarden scan --config \(configuration.lastPathComponent) --store file://\(root.path) ...   (run \(pass))\n")
            let started = Date()
            _ = await TrailWarden.run(command: ScanCommand.descriptor, arguments: command, output: output)
            output.out(String(format: "(%.2f s)\n\n", Date().timeIntervalSince(started)))
            output.flush()
            reports.append(report)
        }
        let html = root.appendingPathComponent("report.html")
        output.out("$ trailwarden report --state trailwarden.sqlite --output report.html\n")
        _ = await TrailWarden.run(command: ReportCommand.descriptor,
                                  arguments: ["--state", root.appendingPathComponent("trailwarden.sqlite").path, "--output", html.path], output: output)
        output.out("The compliance report of both scans, with a timeline per chain: \(html.path)\n\n")
        return try check(reports[0], against: world.manifest, output: output)
    }

    /// A scan configuration naming the world's trails, their buckets and regions.
    static func configurationText(_ manifest: WorldManifest, state: String) throws -> Data {
        var trails = [String: [String: Any]]()
        for chain in manifest.chains {
            var trail = trails[chain.trailARN] ?? ["arn": chain.trailARN, "bucket": chain.chain.bucket, "regions": [String]()]
            if let prefix = chain.chain.prefix { trail["prefix"] = prefix }
            if let organization = chain.chain.organizationID { trail["organizationId"] = organization }
            let regions = (trail["regions"] as? [String] ?? []) + [chain.chain.sourceRegion]
            trail["regions"] = Array(Set(regions)).sorted()
            trails[chain.trailARN] = trail
        }
        let configuration: [String: Any] = [
            "accounts": ["include": Array(Set(manifest.chains.map(\.chain.accountID))).sorted()],
            "roles": ["default": ["name": "TrailWardenAudit"]],
            "trails": ["explicit": trails.keys.sorted().map { trails[$0]! }],
            "regions": Array(Set(manifest.chains.map(\.chain.sourceRegion))).sorted(),
            "state": state,
            // The world's two days, so that the report's timelines are the world's.
            "firstScanLookbackDays": 2,
        ]
        return try JSONSerialization.data(withJSONObject: configuration, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    /// Compares the first scan's findings, chain by chain, with what was done to the world.
    static func check(_ report: URL, against manifest: WorldManifest, output: any OutputSink) throws -> ExitCode {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any] ?? [:]
        let chains = (json["accounts"] as? [[String: Any]] ?? []).flatMap { $0["chains"] as? [[String: Any]] ?? [] }
        output.out("The first scan against the tampering actually done:\n")
        var allMatch = true
        for worldChain in manifest.chains {
            let chain = worldChain.chain
            let reported = chains.first { entry in
                let identity = entry["chain"] as? [String: Any] ?? [:]
                return identity["accountID"] as? String == chain.accountID && identity["sourceRegion"] as? String == chain.sourceRegion
                    && identity["trailName"] as? String == chain.trailName
            }
            let actual = Set((reported?["findings"] as? [[String: Any]] ?? []).map { "\($0["kind"] as? String ?? "") \($0["object"] as? String ?? "")" })
            let expected = Set(worldChain.expectedFindings.map { "\($0.kind) \($0.object)" })
            allMatch = allMatch && actual == expected
            output.out("  \(actual == expected ? "ok " : "MISMATCH") \(chain.trailName) \(chain.accountID) \(chain.sourceRegion): \(actual.count) findings, \(expected.count) expected\n")
            for missing in expected.subtracting(actual).sorted() { output.out("      not reported: \(missing)\n") }
            for extra in actual.subtracting(expected).sorted() { output.out("      unexpected: \(extra)\n") }
        }
        output.out(allMatch ? "\nEvery tampering was reported, and nothing else; the second scan resumed from the checkpoints.\n"
                            : "\nThe findings differ from the tampering done.\n")
        return allMatch ? .intact : .findings
    }
}
