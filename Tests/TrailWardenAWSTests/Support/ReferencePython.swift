import Foundation
import Testing
@testable import TrailWardenAWS

/// Runs the committed Python reference scripts in Tests/Reference.
///
/// A missing python3 or botocore fails the calling test with a message
/// saying so: a differential test that silently skips proves nothing.
enum ReferencePython {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Reference")

    /// Runs `script` with `input` on standard input and returns its standard output.
    static func run(_ script: String, input: [UInt8]) async throws -> [UInt8] {
        let path = directory.appendingPathComponent(script).path
        let output = try await ProcessRunner.run(["python3", path], environment: ProcessInfo.processInfo.environment, input: input)
        let standardError = String(decoding: output.standardError, as: UTF8.self)
        try #require(output.status != 127,
                     "python3 is not installed or not on PATH; the SigV4 differential test needs python3 with botocore (pip install botocore)")
        try #require(output.status != 3,
                     "botocore is not installed for python3; the SigV4 differential test needs it (pip install botocore): \(standardError)")
        try #require(output.status == 0, "\(script) failed with status \(output.status): \(standardError)")
        return output.standardOutput
    }
}
