import Foundation
import TrailWardenAWS
import TrailWardenHTTP

/// The moto emulator that scripts/test starts on 127.0.0.1, and the
/// Tests/Support/moto_admin.py helper that arranges what the product never
/// creates (organizations, trails, queues) and reads back what it sends.
public enum Emulator {
    public struct NotRunning: Error, CustomStringConvertible {
        public var description: String { "TRAILWARDEN_MOTO_ENDPOINT is not set: run the tests with scripts/test, which starts moto" }
    }

    public static func endpoint() throws -> String { try endpoint("TRAILWARDEN_MOTO_ENDPOINT") }

    /// A second emulator whose S3 refuses reads across accounts (MOTO_S3_ALLOW_CROSSACCOUNT_ACCESS=false).
    public static func strictEndpoint() throws -> String { try endpoint("TRAILWARDEN_MOTO_STRICT_ENDPOINT") }

    private static func endpoint(_ variable: String) throws -> String {
        guard let endpoint = ProcessInfo.processInfo.environment[variable], endpoint.hasPrefix("http://127.0.0.1:") else {
            throw NotRunning()
        }
        return endpoint
    }

    /// Where the emulator's ListPublicKeys finds its keys.
    public static func publicKeysDirectory() throws -> URL {
        guard let path = ProcessInfo.processInfo.environment["TRAILWARDEN_MOTO_PUBLIC_KEYS_DIR"] else { throw NotRunning() }
        return URL(fileURLWithPath: path, isDirectory: true)
    }

    public static let defaultCredentials = AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")
    public static let http = CurlHTTPClient(configuration: .init(maxConcurrentRequests: 16, idleTimeout: .seconds(60)))

    /// A transport to the emulator (or another endpoint) acting with `credentials`.
    public static func transport(_ credentials: AWSCredentials = defaultCredentials, endpoint: String? = nil) throws -> AWSTransport {
        AWSTransport(http: http, credentials: StaticCredentialProvider(credentials), endpointOverride: try endpoint ?? self.endpoint())
    }

    /// The environment a user would run `aws` or `trailwarden` with: these
    /// credentials, and the emulator as every service's endpoint.
    public static func environment(_ credentials: AWSCredentials, endpoint: String? = nil) throws -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
        environment["AWS_ACCESS_KEY_ID"] = credentials.accessKeyID
        environment["AWS_SECRET_ACCESS_KEY"] = credentials.secretAccessKey
        environment["AWS_SESSION_TOKEN"] = credentials.sessionToken
        environment["AWS_ENDPOINT_URL"] = try endpoint ?? self.endpoint()
        environment["AWS_DEFAULT_REGION"] = "us-east-1"
        environment["AWS_CONFIG_FILE"] = "/dev/null"
        environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"
        return environment
    }

    /// Credentials that act as `account` in the emulator, from STS AssumeRole.
    public static func credentials(for account: String, endpoint: String? = nil) async throws -> AWSCredentials {
        let sts = STSClient(http: http, region: "us-east-1", endpoint: try endpoint ?? self.endpoint())
        return try await sts.assumeRole(AssumeRoleRequest(roleARN: "arn:aws:iam::\(account):role/TrailWardenAudit", roleSessionName: "tests"),
                                        credentials: defaultCredentials).credentials
    }

    /// Runs a moto_admin.py command as `credentials` and returns its JSON answer.
    public static func admin(_ arguments: [String], as credentials: AWSCredentials = defaultCredentials, endpoint: String? = nil) throws -> Any {
        let script = Processes.packageRoot.appendingPathComponent("Tests/Support/moto_admin.py").path
        let target = try endpoint ?? self.endpoint()
        let run = try Processes.run("python3", [script, target] + arguments, environment: try environment(credentials, endpoint: target))
        guard run.code == 0 else { throw Processes.Failed(message: "moto_admin.py \(arguments.joined(separator: " ")): \(run.standardError)") }
        return try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8), options: [.fragmentsAllowed])
    }

    /// A bucket name no other test uses.
    public static func uniqueBucket(_ stem: String) -> String { "\(stem)-\(UUID().uuidString.prefix(8).lowercased())" }
}
