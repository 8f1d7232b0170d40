import Foundation
import Testing
import TrailWardenCore
import TrailWardenSimulation
import TrailWardenTestSupport
import TrailWardenVocabulary

/// The small world the fault tests share: two accounts in moto, of which the
/// second has one single-region trail (24 hours, one log file per digest, one
/// log file modified), found through DescribeTrails, with its keys in moto's
/// ListPublicKeys; and the verdicts of `validate` and `scan` without faults.
struct FaultWorld: Sendable {
    /// The binary's idle timeout in these tests (TRAILWARDEN_HTTP_IDLE_TIMEOUT); stalls last longer.
    static let idleTimeoutSeconds = 2

    let moto: String
    let chain: WorldChain
    let start: Date
    let end: Date
    let credentials: [String: String]
    let folder: URL

    /// The world, with the verdicts of `validate` and of a first `scan` (and its state
    /// file) straight to moto, made once for all fault tests.
    static let shared = Task { () async throws -> (world: FaultWorld, validate: Run, scan: Run, scanState: String) in
        let world = try await FaultWorld()
        let state = world.folder.appendingPathComponent("baseline.sqlite").path
        return (world, try await world.validate(endpoint: world.moto), try await world.scan(endpoint: world.moto, state: state), state)
    }

    private init() async throws {
        moto = try Emulator.endpoint()
        let first = UInt64.random(in: 200_000_000_000...800_000_000_000)
        let account = String(format: "%012llu", first + 111_111)
        start = Date().addingTimeInterval(-26 * 3600)
        let simulate = ["--accounts", "2", "--regions", "us-east-1", "--hours", "24", "--logs-per-digest", "1", "--tamper", "log-modify",
                        "--seed", "5", "--first-account", String(first), "--start", CloudTrailTime.display(start)]
        let local = try await SimulatedWorld(simulate)
        folder = local.root
        chain = try #require(local.manifest.chains.first { $0.chain.accountID == account && !$0.expectedFindings.isEmpty })
        end = local.manifest.end
        let management = try await Emulator.credentials(for: account)
        credentials = try Emulator.environment(management)
        let upload = try Processes.run(Processes.trailwarden, ["simulate", "--out", "s3://tw-fault-manifests-\(first)"] + simulate,
                                       environment: credentials)
        guard upload.code == 0 else { throw FaultSetupFailed("simulate --out s3://: \(upload.standardError)") }
        let keys = try Emulator.publicKeysDirectory()
        try FileManager.default.createDirectory(at: keys, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: local.keysFile, toPath: keys.appendingPathComponent("fault-\(first).json").path)
        _ = try Emulator.admin(["create-trail", chain.chain.trailName, chain.chain.bucket, chain.chain.prefix ?? "", "us-east-1", "false", "false"],
                               as: management)
        try Data("""
        {
          "accounts": { "include": ["\(account)"] },
          "roles": { "default": { "name": "TrailWardenAudit" } },
          "regions": ["us-east-1"]
        }
        """.utf8).write(to: folder.appendingPathComponent("fault-scan.json"))
    }

    /// `trailwarden validate` of the chain through `endpoint`: DescribeTrails, ListPublicKeys, ListObjectsV2, GetObject.
    func validate(endpoint: String) async throws -> Run {
        try await binary(["validate", "--trail-arn", chain.trailARN, "--start-time", CloudTrailTime.display(start),
                          "--end-time", CloudTrailTime.display(end), "--region", "us-east-1", "--endpoint-url", endpoint],
                         environment: credentials, endpoint: endpoint)
    }

    /// `trailwarden scan` of the chain's account through `endpoint` into `state`, as the emulator's default account.
    func scan(endpoint: String, state: String) async throws -> Run {
        try await binary(["scan", "--config", folder.appendingPathComponent("fault-scan.json").path, "--state", state, "--quiet",
                          "--no-alarms", "--endpoint-url", endpoint],
                         environment: try Emulator.environment(Emulator.defaultCredentials), endpoint: endpoint)
    }

    private func binary(_ arguments: [String], environment: [String: String], endpoint: String) async throws -> Run {
        var environment = environment
        environment["AWS_ENDPOINT_URL"] = endpoint
        environment["TRAILWARDEN_HTTP_IDLE_TIMEOUT"] = String(Self.idleTimeoutSeconds)
        for name in ["no_proxy", "NO_PROXY"] { environment[name] = "127.0.0.1,localhost" }
        let child = environment
        let finished = try await onOwnThread { try Processes.run(Processes.trailwarden, arguments, environment: child) }.get()
        return Run(code: finished.code, standardOutput: finished.standardOutput, standardError: finished.standardError)
    }
}

/// Runs blocking work (a child process) on a thread of its own, off the Swift
/// concurrency pool, which is as small as the machine.
func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async -> Result<T, any Error> {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: Result { try work() }) }
    }
}

/// What a scan left in its state file, read with Python's sqlite3 (the state's own schema).
struct ScanState: Equatable {
    /// "kind object status" of every finding.
    var findings: Set<String>
    /// The checkpoint's digest end time (ms) per chain "account trail region".
    var checkpoints: [String: Int64]

    init(_ path: String) throws {
        let script = """
        import json, sqlite3, sys
        db = sqlite3.connect(sys.argv[1])
        findings = [f"{k} {o} {s}" for k, o, s in db.execute("SELECT kind, object, status FROM findings")]
        checkpoints = {f"{a} {t} {r}": e for a, t, r, e in db.execute(
            "SELECT c.account_id, c.trail_name, c.source_region, k.digest_end_time_ms FROM checkpoints k JOIN chains c ON c.id = k.chain_id")}
        print(json.dumps({"findings": findings, "checkpoints": checkpoints}))
        """
        let run = try Processes.run("python3", ["-c", script, path])
        guard run.code == 0 else { throw FaultSetupFailed("reading \(path): \(run.standardError)") }
        struct Rows: Decodable { var findings: [String]; var checkpoints: [String: Int64] }
        let rows = try JSONDecoder().decode(Rows.self, from: Data(run.standardOutput.utf8))
        findings = Set(rows.findings)
        checkpoints = rows.checkpoints
    }
}

extension Run {
    /// The lines that claim tampering (the reference's "INVALID" lines), from both streams, in order.
    var invalidLines: [String] {
        (standardOutput + "\n" + standardError).split(separator: "\n").map(String.init).filter { $0.contains("INVALID") }
    }

    /// The lines naming an error (what ends a run with exit 3): "trailwarden CMD: error: …", or a scan report's "ERROR: …".
    var errorLines: [String] {
        (standardOutput + "\n" + standardError).split(separator: "\n").map(String.init).filter { $0.contains(": error: ") || $0.contains("ERROR: ") }
    }
}
