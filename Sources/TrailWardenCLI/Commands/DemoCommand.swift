import Foundation
import TrailWardenCore
import TrailWardenSimulation
import TrailWardenStorage

/// `trailwarden demo`: simulates a small organization with every kind of
/// tampering and validates each of its chains, showing what a user sees and
/// checking that exactly the tampering done is reported.
enum DemoCommand: Command {
    static let name = "demo"
    static let summary = "Simulate a tampered organization and validate it: a tour in one command."
    static let options: [OptionSpec] = [
        .single("out", "URL", "Where to build the demo world (default: a new temporary folder, kept afterwards)."),
    ]

    static func run(_ arguments: ParsedArguments, output: any OutputSink) async throws -> ExitCode {
        let root = try arguments.value("out").map { try StoreURL.localRoot($0, option: "out") }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("trailwarden-demo-\(UUID().uuidString.prefix(8))")
        let spec = WorldSpec(accounts: 2, regions: ["us-east-1", "eu-west-1"], hours: 48, logsPerDigest: 4,
                             organizationID: "o-demo0example", tampers: TamperKind.allCases, seed: 7)
        output.out("TrailWarden demo: an organization of \(spec.accounts) accounts × \(spec.regions.count) regions, \(spec.hours) hours, tampered \(spec.tampers.count) ways\n")
        if let contents = try? FileManager.default.contentsOfDirectory(atPath: root.path), !contents.isEmpty {
            throw UsageError("--out \(root.path) is not empty; use a new or empty folder")
        }
        let world = try SimulateCommand.build(spec)
        try await SimulateCommand.write(world, to: root)
        output.out("World written to \(root.path)\n\n")

        let keysFile = root.appendingPathComponent(WorldManifest.publicKeysFileName).path
        for worldChain in world.manifest.chains {
            let chain = worldChain.chain
            output.out("$ trailwarden validate --trail-arn \(worldChain.trailARN) --region \(chain.sourceRegion) --account-id \(chain.accountID) ...\n")
            var command = ["--trail-arn", worldChain.trailARN, "--start-time", CloudTrailTime.display(world.manifest.start),
                           "--end-time", CloudTrailTime.display(world.manifest.end), "--s3-bucket", chain.bucket,
                           "--account-id", chain.accountID, "--region", chain.sourceRegion, "--store", "file://" + root.path,
                           "--public-keys", keysFile, "--check-unreferenced"]
            if let prefix = chain.prefix { command += ["--s3-prefix", prefix] }
            if let organization = chain.organizationID { command += ["--organization-id", organization] }
            _ = await TrailWarden.run(command: ValidateCommand.descriptor, arguments: command, output: output)
            output.out("\n")
            output.flush()
        }

        let keys = try KeyFiles.load([keysFile])
        let checks = try await WorldCheck.run(world.manifest, store: LocalDirectoryStore(root: root), keys: keys, checkUnreferenced: true)
        output.out("Every chain against the tampering actually done:\n")
        for check in checks {
            let chain = check.chain.chain
            let mark = check.matches ? "ok " : "MISMATCH"
            output.out("  \(mark) \(chain.trailName) \(chain.accountID) \(chain.sourceRegion): \(check.actual.count) findings, \(check.expected.count) expected\n")
            for missing in check.expected.subtracting(check.actual).sorted() { output.out("      not reported: \(missing)\n") }
            for extra in check.actual.subtracting(check.expected).sorted() { output.out("      unexpected: \(extra)\n") }
        }
        let allMatch = checks.allSatisfy(\.matches)
        output.out(allMatch ? "\nEvery tampering was reported, and nothing else.\n" : "\nThe findings differ from the tampering done.\n")
        return allMatch ? .intact : .findings
    }
}
