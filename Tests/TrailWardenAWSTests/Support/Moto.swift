import Foundation
import TrailWardenHTTP
@testable import TrailWardenAWS

/// The moto emulator that scripts/test starts on 127.0.0.1, and the
/// Tests/Support/moto_admin.py helper that arranges what the product never
/// creates (organizations, trails, queues) and reads back what it sends.
enum Moto {
    struct NotRunning: Error, CustomStringConvertible {
        var description: String { "TRAILWARDEN_MOTO_ENDPOINT is not set: run the tests with scripts/test, which starts moto" }
    }

    static func endpoint() throws -> String {
        guard let endpoint = ProcessInfo.processInfo.environment["TRAILWARDEN_MOTO_ENDPOINT"], endpoint.hasPrefix("http://127.0.0.1:") else {
            throw NotRunning()
        }
        return endpoint
    }

    /// Where moto's ListPublicKeys finds its keys.
    static func publicKeysDirectory() throws -> URL {
        guard let path = ProcessInfo.processInfo.environment["TRAILWARDEN_MOTO_PUBLIC_KEYS_DIR"] else { throw NotRunning() }
        return URL(fileURLWithPath: path, isDirectory: true)
    }

    static let defaultCredentials = AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")
    static let http = CurlHTTPClient(configuration: .init(maxConcurrentRequests: 16, idleTimeout: .seconds(60)))

    static func transport(_ credentials: AWSCredentials = defaultCredentials) throws -> AWSTransport {
        AWSTransport(http: http, credentials: StaticCredentialProvider(credentials), endpointOverride: try endpoint())
    }

    /// Runs a moto_admin.py command as `credentials` and returns its JSON answer.
    static func admin(_ arguments: [String], as credentials: AWSCredentials = defaultCredentials) throws -> Any {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Support/moto_admin.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, try endpoint()] + arguments
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
        environment["AWS_ACCESS_KEY_ID"] = credentials.accessKeyID
        environment["AWS_SECRET_ACCESS_KEY"] = credentials.secretAccessKey
        environment["AWS_SESSION_TOKEN"] = credentials.sessionToken
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw AdminFailed(message: "moto_admin.py \(arguments.joined(separator: " ")): " + String(decoding: errors, as: UTF8.self))
        }
        return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }

    struct AdminFailed: Error, CustomStringConvertible { var message: String; var description: String { message } }

    /// Credentials that act as `account` in moto, from STS AssumeRole.
    static func credentials(for account: String) async throws -> AWSCredentials {
        let sts = STSClient(http: http, region: "us-east-1", endpoint: try endpoint())
        let role = try await sts.assumeRole(AssumeRoleRequest(roleARN: "arn:aws:iam::\(account):role/TrailWardenAudit", roleSessionName: "tests"),
                                            credentials: defaultCredentials)
        return role.credentials
    }

    /// A bucket name no other test uses.
    static func uniqueBucket(_ stem: String) -> String { "\(stem)-\(UUID().uuidString.prefix(8).lowercased())" }
}
