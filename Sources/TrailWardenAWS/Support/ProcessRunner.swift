import Foundation

/// What a finished subprocess left behind.
struct ProcessOutput: Sendable {
    var status: Int32
    var standardOutput: [UInt8]
    var standardError: [UInt8]
}

/// Runs a command to completion, for `credential_process`.
///
/// The command is looked up on `PATH` through `/usr/bin/env`, as a shell
/// would, but never goes through a shell. The blocking waits happen on
/// Dispatch threads, not on Swift's small cooperative pool, and standard
/// error is drained concurrently so a chatty command cannot deadlock on a
/// full pipe.
enum ProcessRunner {
    static func run(_ arguments: [String], environment: [String: String], input: [UInt8] = []) async throws -> ProcessOutput {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runBlocking(arguments, environment: environment, input: input) })
            }
        }
    }

    private static func runBlocking(_ arguments: [String], environment: [String: String], input: [UInt8]) throws -> ProcessOutput {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = environment
        let inputPipe = Pipe(), outputPipe = Pipe(), errorPipe = Pipe()
        process.standardInput = inputPipe
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        try process.run()

        let background = DispatchGroup()
        let standardError = DataBox()
        DispatchQueue.global().async(group: background) {
            standardError.data = errorPipe.fileHandleForReading.readDataToEndOfFile()
        }
        DispatchQueue.global().async(group: background) {
            if !input.isEmpty { try? inputPipe.fileHandleForWriting.write(contentsOf: input) }
            try? inputPipe.fileHandleForWriting.close()
        }
        let standardOutput = outputPipe.fileHandleForReading.readDataToEndOfFile()
        background.wait()
        process.waitUntilExit()
        return ProcessOutput(status: process.terminationStatus, standardOutput: [UInt8](standardOutput),
                             standardError: [UInt8](standardError.data))
    }
}

/// Carries one reader's result back to the waiting thread; the
/// `DispatchGroup.wait()` orders the write before the read.
private final class DataBox: @unchecked Sendable {
    var data = Data()
}
