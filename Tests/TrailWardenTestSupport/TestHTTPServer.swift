import Foundation
import TrailWardenHTTP

/// The Python test server (Tests/Support/http_test_server.py) on a free
/// loopback port, started for one test. It exits when stopped, or by itself
/// when this process exits (its standard input closes).
public final class TestHTTPServer: Sendable {
    public let port: Int
    public let scheme: String
    private let process: Process
    private let input: Pipe

    private init(port: Int, scheme: String, process: Process, input: Pipe) {
        self.port = port
        self.scheme = scheme
        self.process = process
        self.input = input
    }

    /// Runs `body` against a fresh server, stopping the server afterwards.
    public static func with<T>(tls: TestCertificate? = nil, _ body: (TestHTTPServer) async throws -> T) async throws -> T {
        let server = try await start(tls: tls)
        defer { server.stop() }
        return try await body(server)
    }

    /// Serves HTTPS with `tls`'s certificate when given, else plain HTTP.
    public static func start(tls: TestCertificate? = nil) async throws -> TestHTTPServer {
        let script = Processes.packageRoot.appendingPathComponent("Tests/Support/http_test_server.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path] + (tls.map { ["--tls", $0.certificatePath, $0.keyPath] } ?? [])
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let line = await firstLine(of: output.fileHandleForReading)
        guard let port = Int(line) else {
            process.terminate()
            throw TestServerError(message: "the test server printed \(line.debugDescription) instead of its port")
        }
        return TestHTTPServer(port: port, scheme: tls == nil ? "http" : "https", process: process, input: input)
    }

    public func stop() {
        try? input.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }

    public func url(_ pathAndQuery: String) -> String {
        "\(scheme)://127.0.0.1:\(port)\(pathAndQuery)"
    }

    /// The server's `/stats`: TCP connections accepted, and most requests handled at once.
    /// Ask with the client under test: it reuses one of its connections rather than opening one.
    public func stats(using client: CurlHTTPClient) async throws -> (connections: Int, maxInFlight: Int) {
        let response = try await client.send(HTTPRequest(url: url("/stats")))
        let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Int] ?? [:]
        return (json["connections"] ?? -1, json["max_in_flight"] ?? -1)
    }

    /// Reads the port line on a Dispatch thread, never blocking the Swift concurrency pool.
    private static func firstLine(of handle: FileHandle) async -> String {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var bytes = [UInt8]()
                var byte: UInt8 = 0
                while read(handle.fileDescriptor, &byte, 1) == 1 && byte != UInt8(ascii: "\n") {
                    bytes.append(byte)
                }
                continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
            }
        }
    }
}

/// A self-signed certificate for 127.0.0.1, made with the `openssl` command
/// in a fresh temporary directory.
public struct TestCertificate: Sendable {
    public let directory: URL
    public var certificatePath: String { directory.appendingPathComponent("cert.pem").path }
    public var keyPath: String { directory.appendingPathComponent("key.pem").path }

    public static func make() async throws -> TestCertificate {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trailwarden-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificate = TestCertificate(directory: directory)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                             "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                             "-keyout", certificate.keyPath, "-out", certificate.certificatePath]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        guard status == 0 else {
            throw TestServerError(message: "openssl could not make a test certificate (exit \(status))")
        }
        return certificate
    }

    public func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

public struct TestServerError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
