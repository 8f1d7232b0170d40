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
final class FaultProxy: @unchecked Sendable {  // immutable after init; Process is not marked Sendable
    static let script = Processes.packageRoot.appendingPathComponent("Tests/Support/fault_proxy.py").path
    /// The longest a stall lasts: past the binary's idle timeout in these tests, well under a test's patience.
    static let maxStall = 8.0

    let endpoint: String
    private let process: Process

    /// Starts a proxy, waiting for its port off the Swift concurrency pool.
    static func start(_ rules: [FaultRule], upstream: String, seed: Int = 7) async throws -> FaultProxy {
        try await onOwnThread { try FaultProxy(rules, upstream: upstream, seed: seed) }.get()
    }

    private init(_ rules: [FaultRule], upstream: String, seed: Int) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script, "--upstream", upstream, "--seed", String(seed), "--time-limit", "600",
                             "--max-stall", String(Self.maxStall)] + rules.flatMap { ["--fault", $0.json] }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw FaultSetupFailed("fault_proxy.py did not start (rules \(rules))")
        }
        self.process = process
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
        process.terminate()
        process.waitUntilExit()
    }
}

/// A fault test could not set up its world or proxy.
struct FaultSetupFailed: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
