import Foundation
import Testing
import TrailWardenAWS
import TrailWardenCore
import TrailWardenHTTP
import TrailWardenSimulation
import TrailWardenStorage
@testable import TrailWardenCLI

/// The proof: a tampered world uploaded to the emulator by
/// `trailwarden simulate --out s3://`, then, for every chain (organization
/// trail included), `aws cloudtrail validate-logs` and `trailwarden validate`
/// run as processes with the same arguments and environment. Their stdout,
/// stderr and exit codes must be identical apart from TrailWarden's own checks.
@Suite(.serialized) struct MotoDifferentialTests {
    static let managementAccount = "100000000001"

    @Test func validateMatchesTheReferenceOverTheEmulator() async throws {
        let endpoint = try Emulator.endpoint()
        let management = try await Emulator.credentials(for: Self.managementAccount)
        let organization = try #require(try Emulator.admin(["create-organization"], as: management) as? [String: Any])
        let organizationID = try #require(organization["Id"] as? String)
        let simulate = ["--accounts", "2", "--hours", "48", "--logs-per-digest", "3", "--tamper", "all", "--seed", "9", "--org-id", organizationID]

        // The same world locally (for its manifest and keys) and in the emulator, through the real binary.
        let local = try await SimulatedWorld(simulate)
        defer { local.remove() }
        let environment = Emulator.environment(management, endpoint: endpoint)
        let upload = try Processes.run(Processes.trailwarden, ["simulate", "--out", "s3://tw-manifests-\(UUID().uuidString.prefix(8).lowercased())/world"] + simulate,
                                       environment: environment)
        #expect(upload.code == 0, "\(upload.standardError)")
        let keysDirectory = try Emulator.publicKeysDirectory()
        try FileManager.default.createDirectory(at: keysDirectory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: local.keysFile, toPath: keysDirectory.appendingPathComponent("world-\(UUID().uuidString).json").path)
        let orgTrail = try #require(local.manifest.chains.first { $0.isOrganizationTrail })
        _ = try Emulator.admin(["create-trail", orgTrail.chain.trailName, orgTrail.chain.bucket, orgTrail.chain.prefix ?? "", "us-east-1", "true"],
                               as: management)

        let transport = AWSTransport(http: CurlHTTPClient(), credentials: StaticCredentialProvider(management), endpointOverride: endpoint)
        let store = S3ObjectStore(client: S3Client(transport: transport, region: "us-east-1"))
        let keys = try KeyFiles.load([local.keysFile])
        let manifest = local.manifest
        for chain in manifest.chains {
            var events = [ValidationEvent]()
            _ = try await ChainValidator(store: store, keys: keys).validate(
                ValidationRequest(chain: chain.chain, start: manifest.start, end: manifest.end)) { events.append($0) }
            // Organization trails are found through DescribeTrails and DescribeOrganization, as users run them.
            var arguments = ["--trail-arn", chain.trailARN, "--start-time", CloudTrailTime.display(manifest.start),
                             "--end-time", CloudTrailTime.display(manifest.end), "--account-id", chain.chain.accountID]
            if !chain.isOrganizationTrail {
                arguments += ["--s3-bucket", chain.chain.bucket] + (chain.chain.prefix.map { ["--s3-prefix", $0] } ?? [])
            }
            for verbose in [false, true] {
                let flags = arguments + (verbose ? ["--verbose"] : [])
                let label = "\(chain.chain) verbose=\(verbose)"
                let reference = try Processes.run("aws", ["--region", chain.chain.sourceRegion, "cloudtrail", "validate-logs"] + flags,
                                                  environment: environment)
                let expectedReference = ReferenceDifferentialTests.render(ReferenceDifferentialTests.referenceView(events), arn: chain.trailARN,
                                                                          start: manifest.start, end: manifest.end, verbose: verbose)
                #expect(reference.standardOutput == expectedReference.standardOutput, "\(label)")
                #expect(reference.standardError == expectedReference.standardError, "\(label)")
                #expect(reference.code == expectedReference.code, "\(label)")

                let ours = try Processes.run(Processes.trailwarden, ["validate", "--region", chain.chain.sourceRegion] + flags, environment: environment)
                let expectedOurs = ReferenceDifferentialTests.render(events, arn: chain.trailARN, start: manifest.start, end: manifest.end, verbose: verbose)
                #expect(ours.standardOutput == expectedOurs.standardOutput, "\(label)")
                #expect(ours.standardError == expectedOurs.standardError, "\(label)")
                #expect(ours.code == (events.contains(where: \.isFinding) ? 1 : 0), "\(label)")
            }
        }
        #expect(Set(manifest.chains.flatMap { $0.expectedFindings.map(\.tamper) }) == Set(TamperKind.allCases))
    }
}

/// The emulator that scripts/test starts, and its admin helper.
enum Emulator {
    struct NotRunning: Error, CustomStringConvertible {
        var description: String { "TRAILWARDEN_MOTO_ENDPOINT is not set: run the tests with scripts/test, which starts moto" }
    }

    static func endpoint() throws -> String {
        guard let endpoint = ProcessInfo.processInfo.environment["TRAILWARDEN_MOTO_ENDPOINT"], endpoint.hasPrefix("http://127.0.0.1:") else {
            throw NotRunning()
        }
        return endpoint
    }

    static func publicKeysDirectory() throws -> URL {
        guard let path = ProcessInfo.processInfo.environment["TRAILWARDEN_MOTO_PUBLIC_KEYS_DIR"] else { throw NotRunning() }
        return URL(fileURLWithPath: path, isDirectory: true)
    }

    /// The environment a user would run both tools with: credentials, the emulator as every service's endpoint.
    static func environment(_ credentials: AWSCredentials, endpoint: String) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
        environment["AWS_ACCESS_KEY_ID"] = credentials.accessKeyID
        environment["AWS_SECRET_ACCESS_KEY"] = credentials.secretAccessKey
        environment["AWS_SESSION_TOKEN"] = credentials.sessionToken
        environment["AWS_ENDPOINT_URL"] = endpoint
        environment["AWS_DEFAULT_REGION"] = "us-east-1"
        environment["AWS_CONFIG_FILE"] = "/dev/null"
        environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"
        return environment
    }

    static func credentials(for account: String) async throws -> AWSCredentials {
        let sts = STSClient(http: CurlHTTPClient(), region: "us-east-1", endpoint: try endpoint())
        return try await sts.assumeRole(AssumeRoleRequest(roleARN: "arn:aws:iam::\(account):role/TrailWardenAudit", roleSessionName: "tests"),
                                        credentials: AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")).credentials
    }

    static func admin(_ arguments: [String], as credentials: AWSCredentials) throws -> Any {
        let script = Processes.packageRoot.appendingPathComponent("Tests/Support/moto_admin.py").path
        let run = try Processes.run("python3", [script, try endpoint()] + arguments, environment: environment(credentials, endpoint: try endpoint()))
        guard run.code == 0 else { throw Processes.Failed(message: "moto_admin.py \(arguments): \(run.standardError)") }
        return try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8), options: [.fragmentsAllowed])
    }
}

/// Child processes: the built `trailwarden` binary, the AWS CLI, Python helpers.
enum Processes {
    struct Failed: Error, CustomStringConvertible { var message: String; var description: String { message } }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary under test: TRAILWARDEN_BINARY (set by scripts/test), else the debug build.
    static var trailwarden: String {
        ProcessInfo.processInfo.environment["TRAILWARDEN_BINARY"] ?? packageRoot.appendingPathComponent(".build/debug/trailwarden").path
    }

    static func run(_ program: String, _ arguments: [String], environment: [String: String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errorData = FileHandleReader(err.fileHandleForReading)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(code: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
                   standardError: String(decoding: errorData.wait(), as: UTF8.self))
    }
}

/// Drains a pipe on its own thread, so a child that fills one pipe while the
/// other is being read cannot deadlock.
final class FileHandleReader: @unchecked Sendable {
    // `data` is written once by the reading thread before `done` is signalled
    // and read only after waiting on it.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
