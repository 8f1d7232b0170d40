import Foundation
@testable import TrailWardenAWS

/// A clock tests move by hand.
final class TestClock: @unchecked Sendable {
    // Guarded by `lock`; tests read and advance it from several tasks.
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_768_469_407)) { current = start }

    var now: Date { lock.withLock { current } }

    func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }

    var function: WallClock { { [self] in now } }
}

/// Collects credential log lines.
final class LogRecorder: @unchecked Sendable {
    // Guarded by `lock`; providers log from several tasks.
    private let lock = NSLock()
    private var recorded = [String]()

    var lines: [String] { lock.withLock { recorded } }

    var function: CredentialLog { { [self] line in lock.withLock { recorded.append(line) } } }
}

/// A temporary directory standing in for a home directory, removed on deinit.
final class TemporaryHome: @unchecked Sendable {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("trailwarden-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path + "/.aws", withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` to `relativePath` and returns the absolute path.
    @discardableResult
    func write(_ relativePath: String, _ text: String, executable: Bool = false) throws -> String {
        let file = path + "/" + relativePath
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file) }
        return file
    }

    /// An environment with only `HOME` (and `PATH`, for credential_process) plus `extra`.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ["HOME": path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"].merging(extra) { _, new in new }
    }
}

/// A provider answering from a closure and counting calls.
struct ScriptedProvider: CredentialProvider {
    actor Calls {
        var count = 0
        func next() -> Int { count += 1; return count }
    }

    let calls = Calls()
    var name = "scripted"
    let answer: @Sendable (Int) async throws -> AWSCredentials

    func credentials() async throws -> AWSCredentials { try await answer(calls.next()) }
}

extension String {
    /// True when none of `secrets` occurs in this text.
    func containsNone(of secrets: [String]) -> Bool { !secrets.contains { contains($0) } }
}
