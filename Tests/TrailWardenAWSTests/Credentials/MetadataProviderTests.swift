import Foundation
import Testing
import TrailWardenHTTP
@testable import TrailWardenAWS

/// Container and instance-metadata providers, against the fake client only:
/// the default link-local addresses appear in URLs but are never contacted.
@Suite struct ContainerCredentialProviderTests {
    static let document = """
        {"RoleArn":"arn:aws:iam::111122223333:role/TaskRole","AccessKeyId":"ASIACONTAINER","SecretAccessKey":"containerSecret",
         "Token":"containerToken","Expiration":"2026-01-15T10:30:07Z"}
        """

    @Test func relativeURIGoesToTheECSAgent() async throws {
        let http = FakeHTTPClient()
        await http.on("GET", "http://169.254.170.2/v2/credentials/0f1e2d3c", body: Self.document)
        let context = CredentialContext(environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/0f1e2d3c"], http: http)
        let credentials = try await ContainerCredentialProvider(context: context).credentials()
        #expect(credentials == AWSCredentials(accessKeyID: "ASIACONTAINER", secretAccessKey: "containerSecret", sessionToken: "containerToken",
                                              expiration: Date(timeIntervalSince1970: 1_768_473_007)))
        #expect(await http.requests.first?.header(named: "Authorization") == nil)
    }

    @Test func fullURIWithTokenFileAndRetriesOnServerErrors() async throws {
        let home = try TemporaryHome()
        let tokenFile = try home.write("eks-pod-identity-token", "pod-identity-token")
        let http = FakeHTTPClient()
        await http.on("GET", "http://169.254.170.23/v1/credentials",
                      .response(HTTPResponse(status: 503)), .failure(HTTPError(.connectionReset, "reset")),
                      .response(HTTPResponse(status: 200, body: Array(Self.document.utf8))))
        let context = CredentialContext(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials",
                                                      "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
                                                      "AWS_CONTAINER_AUTHORIZATION_TOKEN": "ignored"], http: http)
        #expect(try await ContainerCredentialProvider(context: context).credentials().accessKeyID == "ASIACONTAINER")
        let requests = await http.requests
        #expect(requests.count == 3)
        #expect(requests.allSatisfy { $0.header(named: "Authorization") == "pod-identity-token" })
    }

    @Test func relativeBaseURLIsAParameter() async throws {
        let http = FakeHTTPClient()
        await http.on("GET", "http://127.0.0.1:51679/creds", body: Self.document)
        let context = CredentialContext(environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/creds"], http: http,
                                        containerEndpoint: "http://127.0.0.1:51679")
        #expect(try await ContainerCredentialProvider(context: context).credentials().accessKeyID == "ASIACONTAINER")
    }

    @Test(arguments: [
        ("https://creds.example.com/x", true), ("http://localhost:8080/x", true), ("http://127.0.0.53/x", true),
        ("http://[::1]/x", true), ("http://[fd00:ec2::23]/x", true), ("http://169.254.170.2/x", true),
        ("http://creds.example.com/x", false), ("http://10.0.0.1/x", false), ("http://127.0.0.1.evil.com/x", false),
        ("ftp://localhost/x", false), ("not a url", false),
    ])
    func fullURIHosts(url: String, allowed: Bool) {
        #expect(ContainerCredentialProvider.isAllowedFullURI(url) == allowed)
    }

    @Test func failures() async throws {
        let http = FakeHTTPClient()
        await http.on("GET", "https://creds.example.com/denied", status: 403, body: #"{"code":"AccessDenied","message":"bad token"}"#)
        func error(_ environment: [String: String]) async -> CredentialError? {
            await #expect(throws: CredentialError.self) {
                try await ContainerCredentialProvider(context: CredentialContext(environment: environment, http: http), attempts: 1).credentials()
            }
        }
        #expect(await error([:])?.kind == .notConfigured)
        #expect(await error(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://creds.example.com/x"])?.kind == .invalidConfiguration)
        #expect(await error(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "https://creds.example.com/x",
                             "AWS_CONTAINER_AUTHORIZATION_TOKEN": "a\r\nInjected: header"])?.kind == .invalidConfiguration)
        let denied = await error(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "https://creds.example.com/denied"])
        #expect(denied?.kind == .retrievalFailed)
        #expect(denied?.message.contains("AccessDenied: bad token (HTTP 403)") == true)
    }
}

@Suite struct InstanceMetadataCredentialProviderTests {
    static let base = "http://imds.test"
    static let document = """
        {"Code":"Success","LastUpdated":"2026-01-15T09:00:00Z","Type":"AWS-HMAC","AccessKeyId":"ASIAINSTANCE",
         "SecretAccessKey":"instanceSecret","Token":"instanceToken","Expiration":"2026-01-15T15:30:07Z"}
        """

    func context(_ http: FakeHTTPClient, _ environment: [String: String] = [:]) -> CredentialContext {
        CredentialContext(environment: environment, http: http, instanceMetadataEndpoint: Self.base + "/")
    }

    @Test func imdsV2Flow() async throws {
        let http = FakeHTTPClient()
        await http.on("PUT", Self.base + "/latest/api/token", body: "AQAEAimds-token==")
        await http.on("GET", Self.base + "/latest/meta-data/iam/security-credentials/", body: "TrailWardenInstanceRole\n")
        await http.on("GET", Self.base + "/latest/meta-data/iam/security-credentials/TrailWardenInstanceRole", body: Self.document)
        let credentials = try await InstanceMetadataCredentialProvider(context: context(http)).credentials()
        #expect(credentials == AWSCredentials(accessKeyID: "ASIAINSTANCE", secretAccessKey: "instanceSecret", sessionToken: "instanceToken",
                                              expiration: Date(timeIntervalSince1970: 1_768_491_007)))
        let requests = await http.requests
        #expect(requests.map(\.method) == ["PUT", "GET", "GET"])
        #expect(requests[0].header(named: "X-aws-ec2-metadata-token-ttl-seconds") == "21600")
        #expect(requests.dropFirst().allSatisfy { $0.header(named: "X-aws-ec2-metadata-token") == "AQAEAimds-token==" })
    }

    @Test func defaultAddressAndEnvironmentOverride() async throws {
        let http = FakeHTTPClient()
        _ = try? await InstanceMetadataCredentialProvider(context: CredentialContext(environment: [:], http: http)).credentials()
        _ = try? await InstanceMetadataCredentialProvider(context: CredentialContext(
            environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://[fd00:ec2::254]"], http: http)).credentials()
        #expect(await http.requests.map(\.url) == ["http://169.254.169.254/latest/api/token", "http://[fd00:ec2::254]/latest/api/token"])
    }

    @Test func disabledByEnvironment() async throws {
        let http = FakeHTTPClient()
        let error = await #expect(throws: CredentialError.self) {
            try await InstanceMetadataCredentialProvider(context: context(http, ["AWS_EC2_METADATA_DISABLED": "TRUE"])).credentials()
        }
        #expect(error?.kind == .notConfigured)
        #expect(await http.requests.isEmpty)
    }

    @Test func unreachableMetadataTimesOutQuicklyAsNotConfigured() async throws {
        let http = FakeHTTPClient()
        await http.on("PUT", Self.base + "/latest/api/token", .hang)
        // A token request that times out falls back to IMDSv1, as in the CLI, which times out too.
        await http.on("GET", Self.base + "/latest/meta-data/iam/security-credentials/", .hang)
        let started = ContinuousClock.now
        let error = await #expect(throws: CredentialError.self) {
            try await InstanceMetadataCredentialProvider(context: context(http, ["AWS_METADATA_SERVICE_TIMEOUT": "0.05",
                                                                               "AWS_METADATA_SERVICE_NUM_ATTEMPTS": "2"])).credentials()
        }
        // Not a speed check: the fake hangs for an hour, so this only proves the provider gave up
        // (with a margin for a test process whose cooperative threads other suites keep busy).
        #expect(ContinuousClock.now - started < .seconds(1200))
        #expect(error?.kind == .notConfigured)
        #expect(error?.message.contains("no answer within") == true)
        #expect(await http.requests.count == 4)
    }

    @Test func noRoleOrFailedDocumentIsNotConfigured() async throws {
        let http = FakeHTTPClient()
        await http.on("PUT", Self.base + "/latest/api/token", body: "t")
        await http.on("GET", Self.base + "/latest/meta-data/iam/security-credentials/",
                      .response(HTTPResponse(status: 404)), .response(HTTPResponse(status: 200, body: Array("Role".utf8))))
        await http.on("GET", Self.base + "/latest/meta-data/iam/security-credentials/Role",
                      body: #"{"Code":"AssumeRoleUnauthorizedAccess","Message":"cannot assume"}"#)
        let provider = InstanceMetadataCredentialProvider(context: context(http))
        let noRole = await #expect(throws: CredentialError.self) { try await provider.credentials() }
        #expect(noRole?.kind == .notConfigured)
        #expect(noRole?.message == "no IAM role is attached to this instance (HTTP 404)")
        let failed = await #expect(throws: CredentialError.self) { try await provider.credentials() }
        #expect(failed?.kind == .notConfigured)
        #expect(failed?.message == "instance metadata for role Role reported AssumeRoleUnauthorizedAccess: cannot assume")
    }
}
