import Foundation

/// What a child process printed and how it ended.
public struct ProcessResult: Sendable {
    public var code: Int32
    public var standardOutput: String
    public var standardError: String
}

/// Child processes for tests: the built `trailwarden` binary, the AWS CLI,
/// and the Python helpers under Tests/Support and Tests/Reference.
public enum Processes {
    public struct Failed: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary under test: TRAILWARDEN_BINARY (set by scripts/test), else the debug build.
    public static var trailwarden: String {
        ProcessInfo.processInfo.environment["TRAILWARDEN_BINARY"] ?? packageRoot.appendingPathComponent(".build/debug/trailwarden").path
    }

    /// Runs `program` (looked up on PATH) and waits for it.
    public static func run(_ program: String, _ arguments: [String],
                           environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errorData = PipeDrain(err.fileHandleForReading)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ProcessResult(code: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
                             standardError: String(decoding: errorData.wait(), as: UTF8.self))
    }
}

/// Drains a pipe on its own thread, so a child that fills one pipe while the
/// other is being read cannot deadlock.
public final class PipeDrain: @unchecked Sendable {
    // `data` is written once by the reading thread before `done` is signalled
    // and read only after waiting on it.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    public init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    public func wait() -> Data {
        done.wait()
        return data
    }
}

extension FileHandle {
    /// Reads what a running process writes (its progress on a pipe) until `marker` has appeared
    /// or the writer has closed; returns what was read. Bounded by the process: a test that waits
    /// on it also arms a watchdog that kills the process.
    public func read(until marker: String) -> String {
        var seen = ""
        while !seen.contains(marker) {
            let piece = availableData
            guard !piece.isEmpty else { break }
            seen += String(decoding: piece, as: UTF8.self)
        }
        return seen
    }
}
