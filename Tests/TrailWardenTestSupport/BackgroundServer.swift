import Foundation

/// A Python server of Tests/Support run in the background on a free port of 127.0.0.1, for as long as
/// the test needs it: it exits when stopped, after its time limit, and with the test process.
///
/// Started by sh, so that it is not a child of this process (Foundation's Process on Linux can miss a
/// short child's exit while a long-lived child runs); its port comes through a file. The script must
/// take `--port-file`, `--watch-pid` and `--time-limit`.
public final class BackgroundServer: Sendable {
    public let endpoint: String
    private let pid: Int32

    /// Starts `script` (a path under Tests/Support) with `arguments`, waiting up to a minute for its port.
    public init(script: String, _ arguments: [String], timeLimit: Int = 600) throws {
        let path = Processes.packageRoot.appendingPathComponent("Tests/Support").appendingPathComponent(script).path
        let portFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(script)-\(UUID().uuidString).port").path
        let all = [path] + arguments + ["--time-limit", String(timeLimit), "--port-file", portFile, "--watch-pid", String(getpid())]
        let started = try Processes.run("sh", ["-c", #"python3 "$@" </dev/null >/dev/null 2>&1 & echo $!"#, "sh"] + all)
        guard let pid = Int32(started.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw Processes.Failed(message: "\(script) did not start: \(started.standardError)")
        }
        var port: Int?
        for _ in 0..<600 where port == nil && kill(pid, 0) == 0 {
            port = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if port == nil { Thread.sleep(forTimeInterval: 0.1) }
        }
        try? FileManager.default.removeItem(atPath: portFile)
        guard let port else {
            kill(pid, SIGTERM)
            throw Processes.Failed(message: "\(script) did not start (arguments \(arguments))")
        }
        self.pid = pid
        endpoint = "http://127.0.0.1:\(port)"
    }

    public func stop() {
        kill(pid, SIGTERM)
    }
}
