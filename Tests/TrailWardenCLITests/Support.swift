import Foundation
import TrailWardenCore
import TrailWardenSimulation
import TrailWardenTestSupport
@testable import TrailWardenCLI

/// Runs `trailwarden` in-process and keeps what it wrote.
struct Run {
    var code: Int32
    var standardOutput: String
    var standardError: String

    init(code: Int32, standardOutput: String, standardError: String) {
        self.code = code
        self.standardOutput = standardOutput
        self.standardError = standardError
    }

    init(_ arguments: [String]) async {
        let output = CapturedOutput()
        code = await TrailWarden.main(arguments, output: output)
        standardOutput = output.standardOutput
        standardError = output.standardError
    }
}

/// A world built by `trailwarden simulate` in a temporary folder.
struct SimulatedWorld {
    let root: URL
    let manifest: WorldManifest

    init(_ simulateArguments: [String]) async throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-cli-\(UUID().uuidString)")
        let run = await Run(["simulate", "--out", "file://" + root.path] + simulateArguments)
        guard run.code == 0 else { throw SimulationFailed(message: run.standardError) }
        manifest = try WorldManifest.load(from: root)
    }

    struct SimulationFailed: Error { var message: String }

    var keysFile: String { root.appendingPathComponent(WorldManifest.publicKeysFileName).path }

    func remove() { try? FileManager.default.removeItem(at: root) }

    /// `validate` arguments for one chain and range.
    func validateArguments(_ chain: WorldChain, start: Date, end: Date) -> [String] {
        var arguments = ["--trail-arn", chain.trailARN, "--start-time", CloudTrailTime.display(start), "--end-time", CloudTrailTime.display(end),
                         "--s3-bucket", chain.chain.bucket, "--region", chain.chain.sourceRegion, "--account-id", chain.chain.accountID,
                         "--store", "file://" + root.path, "--public-keys", keysFile]
        if let prefix = chain.chain.prefix { arguments += ["--s3-prefix", prefix] }
        if let organization = chain.chain.organizationID { arguments += ["--organization-id", organization] }
        return arguments
    }
}

/// Runs the installed `aws cloudtrail validate-logs` code on a local store
/// through Tests/Reference/validate_local.py.
enum ReferenceValidator {
    static let harness = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Reference/validate_local.py")

    static func run(_ world: SimulatedWorld, _ chain: WorldChain, start: Date, end: Date, verbose: Bool) throws -> Run {
        let c = chain.chain
        var arguments = [harness.path, "--store", world.root.path, "--public-keys", world.keysFile, "--region", c.sourceRegion]
        var reference = ["--trail-arn", chain.trailARN, "--start-time", CloudTrailTime.display(start), "--end-time", CloudTrailTime.display(end),
                         "--account-id", c.accountID]
        if let organization = c.organizationID {
            // The reference finds an organization trail's layout only through DescribeTrails.
            arguments += ["--trail-bucket", c.bucket, "--organization-id", organization] + (c.prefix.map { ["--trail-prefix", $0] } ?? [])
        } else {
            reference += ["--s3-bucket", c.bucket] + (c.prefix.map { ["--s3-prefix", $0] } ?? [])
        }
        if verbose { reference.append("--verbose") }
        let result = try Processes.run("python3", arguments + ["--"] + reference)
        return Run(code: result.code, standardOutput: result.standardOutput, standardError: result.standardError)
    }
}
