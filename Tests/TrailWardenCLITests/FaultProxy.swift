import Foundation
import Testing
import TrailWardenTestSupport

/// One fault rule of Tests/Support/fault_proxy.py: which requests (a class such
/// as "s3:GetObject:log", or a prefix of one such as "sts") get which fault.
struct FaultRule: Sendable, CustomStringConvertible {
    enum Selection: Sendable {
        /// The Nth requests of the class, 1-based.
        case requests([Int])
        /// The first read of every distinct object.
        case firstRead
        /// Each request with this probability, from the proxy's seed.
        case probability(Double)
    }

    var match: String
    var kind: String
    var selection: Selection
    var seconds: Double? = nil

    var json: String {
        var rule: [String: Any] = ["match": match, "kind": kind]
        switch selection {
        case .requests(let numbers): rule["requests"] = numbers
        case .firstRead: rule["firstRead"] = true
        case .probability(let probability): rule["probability"] = probability
        }
        if let seconds { rule["seconds"] = seconds }
        let data = (try? JSONSerialization.data(withJSONObject: rule, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    var description: String { "\(kind) on \(match) \(selection)" }
}

/// A fault_proxy.py process of its own, on a free port of 127.0.0.1, in front of moto.
/// It exits by itself after ten minutes, and with the test process.
final class FaultProxy: Sendable {
    static let script = Processes.packageRoot.appendingPathComponent("Tests/Support/fault_proxy.py").path
    /// The longest a stall lasts: past the binary's idle timeout in these tests, well under a test's patience.
    static let maxStall = 8.0

    let endpoint: String
    private let pid: Int32

    /// Starts a proxy, waiting for its port off the Swift concurrency pool.
    static func start(_ rules: [FaultRule], upstream: String, seed: Int = 7) async throws -> FaultProxy {
        try await onOwnThread { try FaultProxy(rules, upstream: upstream, seed: seed) }.get()
    }

    private init(_ rules: [FaultRule], upstream: String, seed: Int) throws {
        // Started in the background by sh, so that it is not a child of this process: Foundation's
        // Process on Linux can miss a short child's exit while a long-lived child runs. The port
        // comes through a file, and the proxy watches this process to exit with it.
        let portFile = FileManager.default.temporaryDirectory.appendingPathComponent("fault-proxy-\(UUID().uuidString).port").path
        let arguments = [Self.script, "--upstream", upstream, "--seed", String(seed), "--time-limit", "600", "--max-stall", String(Self.maxStall),
                         "--port-file", portFile, "--watch-pid", String(getpid())] + rules.flatMap { ["--fault", $0.json] }
        let started = try Processes.run("sh", ["-c", #"python3 "$@" </dev/null >/dev/null 2>&1 & echo $!"#, "sh"] + arguments)
        guard let pid = Int32(started.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw FaultSetupFailed("fault_proxy.py did not start: \(started.standardError)")
        }
        var port: Int?
        for _ in 0..<600 where port == nil && kill(pid, 0) == 0 {  // at most a minute
            port = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if port == nil { Thread.sleep(forTimeInterval: 0.1) }
        }
        try? FileManager.default.removeItem(atPath: portFile)
        guard let port else {
            kill(pid, SIGTERM)
            throw FaultSetupFailed("fault_proxy.py did not start (rules \(rules))")
        }
        self.pid = pid
        endpoint = "http://127.0.0.1:\(port)"
    }

    /// What the proxy counted: requests per class, and faults per "KIND CLASS".
    struct Stats: Decodable {
        var requests: [String: Int]
        var faults: [String: Int]
        var injected: Int
    }

    func stats() throws -> Stats {
        let answer = try Processes.run("curl", ["--silent", "--show-error", "--noproxy", "*", "--max-time", "30", endpoint + "/__stats__"])
        guard answer.code == 0 else { throw FaultSetupFailed("fault proxy stats: \(answer.standardError)") }
        return try JSONDecoder().decode(Stats.self, from: Data(answer.standardOutput.utf8))
    }

    func stop() {
        kill(pid, SIGTERM)
    }
}

/// A fault test could not set up its world or proxy.
struct FaultSetupFailed: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
