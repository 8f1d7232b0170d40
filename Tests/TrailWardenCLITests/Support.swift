import Foundation
import TrailWardenCore
import TrailWardenSimulation
import Testing
import TrailWardenTestSupport
@testable import TrailWardenCLI
import TrailWardenVocabulary

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

/// Runs the real `trailwarden` binary (TRAILWARDEN_BINARY, see scripts/test),
/// waiting on a Dispatch thread rather than blocking the Swift concurrency pool.
/// Loopback traffic (the webhook test server) never goes through a proxy.
func trailwardenBinary(_ arguments: [String]) async throws -> Run {
    var environment = ProcessInfo.processInfo.environment
    for name in ["no_proxy", "NO_PROXY"] {
        environment[name] = "127.0.0.1,localhost" + (environment[name].map { "," + $0 } ?? "")
    }
    let childEnvironment = environment
    let result = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ProcessResult, any Error>) in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try Processes.run(Processes.trailwarden, arguments, environment: childEnvironment) })
        }
    }
    return Run(code: result.code, standardOutput: result.standardOutput, standardError: result.standardError)
}

/// A tampered offline archive, recent enough for a first scan's look-back, with
/// a scan configuration naming its trails (as `trailwarden demo` writes it) and a
/// state file in a folder of its own.
struct ArchiveScanWorld {
    let world: SimulatedWorld
    let folder: URL

    /// Trails in us-east-1 (3 accounts: enough for three tampers): 24 hours of digests ending two hours ago.
    init(accounts: Int = 3, tamper: String, webhooks: [String] = []) async throws {
        let start = CloudTrailTime.display(Date().addingTimeInterval(-26 * 3600))
        world = try await SimulatedWorld(["--accounts", String(accounts), "--regions", "us-east-1", "--hours", "24", "--logs-per-digest", "2",
                                          "--tamper", tamper, "--start", start])
        folder = world.root.deletingLastPathComponent().appendingPathComponent(world.root.lastPathComponent + "-scan")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try writeConfiguration(to: config, webhooks: webhooks)
    }

    var config: URL { folder.appendingPathComponent("accounts.json") }
    var state: String { folder.appendingPathComponent("state.sqlite").path }
    var manifest: WorldManifest { world.manifest }

    /// A configuration for this world, with these webhooks as its alarm targets (none: no `alarms`).
    func writeConfiguration(to file: URL, webhooks: [String]) throws {
        let base = try DemoCommand.configurationText(world.manifest, state: state)
        var configuration = try #require(try JSONSerialization.jsonObject(with: base) as? [String: Any])
        if !webhooks.isEmpty { configuration["alarms"] = ["webhooks": webhooks.map { ["url": $0] }] }
        try JSONSerialization.data(withJSONObject: configuration, options: [.prettyPrinted, .sortedKeys]).write(to: file)
    }

    /// `trailwarden scan` of the archive (quiet unless asked otherwise), plus `extra`.
    func scan(_ extra: [String] = [], quiet: Bool = true) async throws -> Run {
        try await trailwardenBinary(["scan", "--config", config.path, "--store", "file://" + world.root.path, "--public-keys", world.keysFile]
                                    + (quiet ? ["--quiet"] : []) + extra)
    }

    /// `trailwarden report --state` of this world's state, plus `extra`.
    func report(_ extra: [String]) async throws -> Run {
        try await trailwardenBinary(["report", "--state", state] + extra)
    }

    /// The findings the world must produce, as "kind object".
    var expectedFindings: Set<String> {
        Set(world.manifest.chains.flatMap(\.expectedFindings).map { "\($0.kind) \($0.object)" })
    }

    func remove() {
        world.remove()
        try? FileManager.default.removeItem(at: folder)
    }
}

/// The JSON that `scan --format json` prints, as far as these tests read it.
struct ScanJSON: Decodable {
    struct Finding: Decodable { var kind: String; var object: String }
    struct Chain: Decodable { var findings: [Finding] }
    struct Account: Decodable { var accountID: String; var chains: [Chain]; var postureFindings: [Finding] }
    struct Totals: Decodable, Equatable {
        var accounts, chains, validDigests, invalidDigests, validLogs, invalidLogs, findings, errors: Int
    }
    struct Alarm: Decodable { var target: String; var status: String; var findings: Int; var attempts: Int; var error: String? }

    var runID: Int64
    var accounts: [Account]
    var totals: Totals
    var alarms: [Alarm]

    init(_ run: Run) throws {
        self = try JSONDecoder().decode(ScanJSON.self, from: Data(run.standardOutput.utf8))
    }

    /// Every finding, as "kind object".
    var findings: Set<String> {
        Set(accounts.flatMap { $0.postureFindings + $0.chains.flatMap(\.findings) }.map { "\($0.kind) \($0.object)" })
    }
}
