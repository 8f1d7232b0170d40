import Foundation
import Testing
import TrailWardenHTTP
import TrailWardenTestSupport
@testable import TrailWardenAWS

/// Endpoints, retries, CA bundles, proxies and the debug log, configured as the AWS CLI is.
@Suite struct AWSConfigurationTests {
    let home: TemporaryHome

    init() throws {
        home = try TemporaryHome()
        try home.write(".aws/config", """
            [default]
            endpoint_url = http://profile-global.test
            services = corp
            ca_bundle = ~/corp-ca.pem
            retry_mode = legacy

            [services corp]
            s3 =
              endpoint_url = http://profile-s3.test
            cloudwatch =
              endpoint_url = http://profile-cloudwatch.test

            [profile plain]
            region = ap-south-1
            ignore_configured_endpoint_urls = true
            endpoint_url = http://ignored.test

            [profile bare]
            region = us-west-2

            """)
    }

    func settings(_ environment: [String: String], profile: String? = nil, explicit: String? = nil) throws -> AWSProfileSettings {
        try AWSProfileSettings.load(CredentialContext(environment: home.environment(environment), http: FakeHTTPClient(),
                                                      explicitProfile: profile), explicitEndpoint: explicit)
    }

    @Test func endpointsResolveInTheAWSCLIsOrder() throws {
        let profileOnly = try settings([:]).endpoints
        #expect(profileOnly.override(for: "s3") == "http://profile-s3.test")
        #expect(profileOnly.override(for: "monitoring") == "http://profile-cloudwatch.test")
        #expect(profileOnly.override(for: "sts") == "http://profile-global.test")

        let environment = try settings(["AWS_ENDPOINT_URL": "http://env-global.test", "AWS_ENDPOINT_URL_S3": "http://env-s3.test",
                                        "AWS_ENDPOINT_URL_EVENTBRIDGE": "http://env-events.test",
                                        "AWS_ENDPOINT_URL_SECURITYHUB": "http://env-securityhub.test"]).endpoints
        #expect(environment.override(for: "s3") == "http://env-s3.test")
        #expect(environment.override(for: "events") == "http://env-events.test")
        #expect(environment.override(for: "securityhub") == "http://env-securityhub.test")
        // The global variable beats the profile's service-specific endpoint.
        #expect(environment.override(for: "monitoring") == "http://env-global.test")

        let ignored = try settings(["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true", "AWS_ENDPOINT_URL_S3": "http://env-s3.test"])
        #expect(ignored.endpoints.override(for: "s3") == nil)
        #expect(try settings(["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"], explicit: "http://explicit.test")
            .endpoints.override(for: "s3") == "http://explicit.test")
        #expect(try settings([:], profile: "plain").endpoints.override(for: "sts") == nil)
        #expect(try settings(["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "false"], profile: "plain").endpoints.override(for: "sts") == "http://ignored.test")
    }

    @Test func theTransportSendsOnlyTheConfiguredServiceElsewhere() async throws {
        let server = try LocalFakeServer { _ in .text("ok") }
        defer { server.stop() }
        let endpoints = try settings(["AWS_ENDPOINT_URL_S3": server.url], profile: "bare").endpoints
        let transport = AWSTransport(http: CurlHTTPClient(), credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKIA", secretAccessKey: "s")),
                                     endpoints: endpoints)
        #expect(transport.endpoint(service: "cloudtrail", region: "eu-west-1") == "https://cloudtrail.eu-west-1.amazonaws.com")
        #expect(transport.endpointOverride == nil)
        try #require(transport.configuredEndpoint(service: "s3") == server.url)
        let response = try await transport.send(HTTPRequest(url: transport.endpoint(service: "s3", region: "eu-west-1") + "/bucket/key"),
                                                signingName: "s3", region: "eu-west-1")
        #expect(response.status == 200)
        #expect(server.requests.map(\.target) == ["/bucket/key"])
    }

    @Test func regionAndCABundleComeFromTheEnvironmentThenTheProfile() throws {
        let defaults = try settings([:])
        #expect(defaults.caBundle == home.path + "/corp-ca.pem")
        #expect(defaults.region == nil)
        #expect(try settings(["AWS_CA_BUNDLE": "/etc/proxy-ca.pem"]).caBundle == "/etc/proxy-ca.pem")
        #expect(try settings([:], profile: "plain").region == "ap-south-1")
        #expect(try settings(["AWS_REGION": "eu-north-1"], profile: "plain").region == "eu-north-1")
        #expect(throws: CredentialError.self) { try settings([:], profile: "missing") }
    }

    @Test func retriesAsConfigured() throws {
        #expect(try settings([:]).retry == RetryPolicy(mode: .legacy))
        #expect(try settings([:]).retry.maxAttempts == 5)
        #expect(try settings(["AWS_RETRY_MODE": "standard"]).retry == RetryPolicy(mode: .standard, maxAttempts: 3))
        #expect(try settings(["AWS_MAX_ATTEMPTS": "10"], profile: "plain").retry == RetryPolicy(mode: .standard, maxAttempts: 10))
        #expect(try settings(["AWS_RETRY_MODE": "adaptive", "AWS_MAX_ATTEMPTS": "2"]).retry == RetryPolicy(mode: .adaptive, maxAttempts: 2))
        #expect(try settings([:], profile: "plain").retry == RetryPolicy())
        #expect(throws: RetryConfigurationError.self) { try settings(["AWS_RETRY_MODE": "eager"]) }
        #expect(throws: RetryConfigurationError.self) { try settings(["AWS_MAX_ATTEMPTS": "0"]) }
    }

    /// Always the top of the range: the delays are then the backoff ceilings.
    struct HighestRandom: RandomNumberGenerator {
        mutating func next() -> UInt64 { .max }
    }

    @Test func configuredModesBackOffLikeTheAWSCLI() {
        var random = HighestRandom()
        let standard = RetryPolicy(mode: .standard, maxAttempts: 10)
        let ceilings = (1...9).map { standard.delay(beforeRetry: $0, retryAfter: nil, using: &random) }
        let expected: [Double] = [1, 2, 4, 8, 16, 20, 20, 20, 20]
        #expect(zip(ceilings, expected).allSatisfy { $0 <= $1 && $0 > $1 * 0.99 })
    }

    @Test func aConfiguredAttemptCountIsWhatTheTransportMakes() async throws {
        let server = try LocalFakeServer { _ in .text("<Error><Code>ServiceUnavailable</Code></Error>", status: 503) }
        defer { server.stop() }
        let sleeps = Sleeps()
        let transport = AWSTransport(http: CurlHTTPClient(), credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKIA", secretAccessKey: "s")),
                                     endpointOverride: server.url,
                                     retry: try RetryPolicy.configured(environment: ["AWS_MAX_ATTEMPTS": "4"], profile: ["retry_mode": "standard"]),
                                     sleep: { await sleeps.add($0) })
        await #expect(throws: AWSError.self) {
            try await transport.send(HTTPRequest(url: server.url + "/"), signingName: "s3", region: "us-east-1")
        }
        #expect(server.requests.count == 4)
        let waits = await sleeps.all
        #expect(waits.count == 3)
        #expect(zip(waits, [1.0, 2.0, 4.0]).allSatisfy { $0 >= 0 && $0 <= $1 })
    }

    actor Sleeps {
        var all = [TimeInterval]()
        func add(_ seconds: TimeInterval) { all.append(seconds) }
    }

    @Test func aPrivateCAIsTrustedOnlyWhenGiven() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trailwarden-ca-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.makePrivateCA(in: directory)
        // The test server serves the certificate files of a TestCertificate; these are issued by the private CA.
        let certificate = try await TestCertificate.make()
        defer { certificate.remove() }
        try FileManager.default.removeItem(atPath: certificate.certificatePath)
        try FileManager.default.removeItem(atPath: certificate.keyPath)
        try FileManager.default.copyItem(atPath: directory + "/server.pem", toPath: certificate.certificatePath)
        try FileManager.default.copyItem(atPath: directory + "/server.key", toPath: certificate.keyPath)
        let server = try await TestHTTPServer.start(tls: certificate)
        defer { server.stop() }
        await #expect(throws: HTTPError.self) { try await CurlHTTPClient().send(HTTPRequest(url: server.url("/echo"))) }
        let trusting = CurlHTTPClient(configuration: .init(caBundlePath: directory + "/ca.pem"))
        let response = try await trusting.send(HTTPRequest(url: server.url("/echo")))
        #expect(response.status == 200)
    }

    /// A CA and a 127.0.0.1 server certificate it issued, made with the openssl command.
    static func makePrivateCA(in directory: String) throws {
        let script = """
            set -e
            cd "$1"
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=TrailWarden Test CA" \
              -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign -keyout ca.key -out ca.pem
            openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=127.0.0.1 -keyout server.key -out server.csr
            printf 'subjectAltName=IP:127.0.0.1\\nbasicConstraints=CA:FALSE\\n' > server.ext
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext -out server.pem
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, "sh", directory]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw POSIXError(.EIO) }
    }

    @Test func upperCaseHTTPProxyIsHonoured() async throws {
        #expect(CurlHTTPClient.Configuration.upperCaseHTTPProxy(in: ["HTTP_PROXY": "http://proxy:3128"]) == "http://proxy:3128")
        #expect(CurlHTTPClient.Configuration.upperCaseHTTPProxy(in: ["HTTP_PROXY": "http://proxy:3128", "http_proxy": "http://lower:3128"]) == nil)
        #expect(CurlHTTPClient.Configuration.upperCaseHTTPProxy(in: [:]) == nil)
        let proxy = try LocalFakeServer { _ in .text("via proxy") }
        defer { proxy.stop() }
        let client = CurlHTTPClient(configuration: .init(httpProxy: proxy.url))
        let response = try await client.send(HTTPRequest(url: "http://metadata.invalid/latest/api/token"))
        #expect(String(decoding: response.body, as: UTF8.self) == "via proxy")
        #expect(proxy.requests.map(\.target) == ["http://metadata.invalid/latest/api/token"])
    }

    @Test func theDebugLogRedactsEverySecret() async throws {
        let server = try LocalFakeServer { _ in .text("ok") }
        defer { server.stop() }
        let log = LogRecorder()
        let secrets = ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "sessionTokenSecret", "metadataToken", "presignedSignature"]
        let transport = AWSTransport(http: RequestLogHTTPClient(CurlHTTPClient(), log: log.function),
                                     credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKIADEBUG", secretAccessKey: secrets[0],
                                                                                          sessionToken: secrets[1])),
                                     endpointOverride: server.url)
        _ = try await transport.send(HTTPRequest(url: server.url + "/bucket/key?X-Amz-Signature=presignedSignature&versionId=3",
                                                 headers: [("X-aws-ec2-metadata-token", "metadataToken")]),
                                     signingName: "s3", region: "us-east-1")
        let signature = try #require(server.requests.first?.header("Authorization")?.components(separatedBy: "Signature=").last)
        #expect(log.lines.count == 2)
        #expect(log.lines[0].contains("GET \(server.url)/bucket/key?X-Amz-Signature=<redacted>&versionId=3"))
        #expect(log.lines[0].contains("Authorization: <redacted>"))
        #expect(log.lines[1].hasPrefix("debug: answer 200"))
        #expect(log.lines.allSatisfy { $0.containsNone(of: secrets + [signature]) })
    }
}
