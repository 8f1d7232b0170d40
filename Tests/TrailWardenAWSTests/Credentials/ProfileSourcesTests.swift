import Foundation
import Testing
import TrailWardenHTTP
@testable import TrailWardenAWS

/// Profile web identity, `--profile` and instance metadata settings, each against a local fake of its endpoint.
@Suite struct ProfileSourcesTests {
    let home: TemporaryHome
    let http = CurlHTTPClient()

    init() throws { home = try TemporaryHome() }

    /// A fake STS answering AssumeRoleWithWebIdentity, and a fake IMDS whose token request answers `tokenStatus`.
    static func fake(tokenStatus: Int = 200) -> @Sendable (LocalFakeServer.Request) -> LocalFakeServer.Answer {
        { request in
            switch (request.method, request.path) {
            case ("POST", "/"): return .text(STSRecordings.assumeRoleWithWebIdentity())
            case ("PUT", "/latest/api/token"): return .text(tokenStatus == 200 ? "imds-token" : "", status: tokenStatus)
            case ("GET", "/latest/meta-data/iam/security-credentials/"): return .text("InstanceRole")
            case ("GET", "/latest/meta-data/iam/security-credentials/InstanceRole"):
                return .json(#"{"Code":"Success","AccessKeyId":"ASIAIMDS","SecretAccessKey":"imdsSecret","Token":"imdsToken","Expiration":"2026-01-15T12:00:00Z"}"#)
            default: return .text("no route", status: 404)
            }
        }
    }

    @Test func profileWebIdentityGoesToTheServicesSectionsSTSEndpoint() async throws {
        let server = try LocalFakeServer(Self.fake())
        defer { server.stop() }
        let tokenFile = try home.write("token", "eyJhbGciOiJSUzI1NiJ9.profile.sig\n")
        try home.write(".aws/config", """
            [profile ci]
            web_identity_token_file = \(tokenFile)
            role_arn = arn:aws:iam::111122223333:role/CiAuditor
            role_session_name = ci-session
            region = eu-west-1
            services = local

            [services local]
            sts =
              endpoint_url = \(server.url)

            """)
        let context = CredentialContext(environment: home.environment(["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "envSecret"]),
                                        http: http, explicitProfile: "ci")
        let settings = try AWSProfileSettings.load(context, explicitEndpoint: nil)
        var configured = context
        configured.endpoints = settings.endpoints
        // --profile turns the environment's keys off, so the profile's web identity is used.
        let credentials = try await DefaultCredentialChain(context: configured).credentials()
        #expect(credentials.accessKeyID == "ASIAWEBIDENTITYEXAMPLE")
        let request = try #require(server.requests.first)
        #expect(request.bodyText.contains("RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2FCiAuditor"))
        #expect(request.bodyText.hasSuffix("&RoleSessionName=ci-session&WebIdentityToken=eyJhbGciOiJSUzI1NiJ9.profile.sig"))
        #expect(request.header("Authorization") == nil)
    }

    @Test func withoutProfileOptionTheEnvironmentStillComesFirst() async throws {
        try home.write(".aws/config", "[profile ci]\nweb_identity_token_file = /nonexistent\nrole_arn = arn:aws:iam::1:role/R\n")
        let credentials = try await DefaultCredentialChain(context: CredentialContext(
            environment: home.environment(["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "envSecret", "AWS_PROFILE": "ci"]),
            http: http)).credentials()
        #expect(credentials.accessKeyID == "AKIAENV")
    }

    @Test func aRoleProfileMaySourceAWebIdentityProfile() async throws {
        let server = try LocalFakeServer { request in
            request.bodyText.contains("Action=AssumeRoleWithWebIdentity")
                ? .text(STSRecordings.assumeRoleWithWebIdentity()) : .text(STSRecordings.assumeRole(accessKeyID: "ASIACHAINED"))
        }
        defer { server.stop() }
        let tokenFile = try home.write("token", "jwt")
        try home.write(".aws/config", """
            [profile base]
            web_identity_token_file = \(tokenFile)
            role_arn = arn:aws:iam::111122223333:role/Base
            [profile audit]
            role_arn = arn:aws:iam::444455556666:role/TrailAuditor
            source_profile = base

            """)
        let context = CredentialContext(environment: home.environment(["AWS_ENDPOINT_URL_STS": server.url]), http: http,
                                        explicitProfile: "audit")
        let credentials = try await DefaultCredentialChain(context: context).credentials()
        #expect(credentials.accessKeyID == "ASIACHAINED")
        #expect(server.requests.count == 2)
        #expect(server.requests.last?.header("Authorization")?.contains("Credential=ASIAWEBIDENTITYEXAMPLE/") == true)
    }

    @Test func instanceMetadataFromTheConfigFileFallsBackToIMDSv1WhereTheCLIDoes() async throws {
        for status in [403, 404, 405] {
            let server = try LocalFakeServer(Self.fake(tokenStatus: status))
            defer { server.stop() }
            try home.write(".aws/config", "[default]\nec2_metadata_service_endpoint = \(server.url)\n")
            let credentials = try await InstanceMetadataCredentialProvider(context: CredentialContext(environment: home.environment(),
                                                                                                     http: http)).credentials()
            #expect(credentials.accessKeyID == "ASIAIMDS")
            #expect(server.requests.map(\.method) == ["PUT", "GET", "GET"])
            #expect(server.requests.dropFirst().allSatisfy { $0.header("X-aws-ec2-metadata-token") == nil })
        }
    }

    @Test func imdsV2IsUsedWhenItAnswersAndV1CanBeDisabled() async throws {
        let server = try LocalFakeServer(Self.fake())
        defer { server.stop() }
        try home.write(".aws/config", "[default]\nec2_metadata_service_endpoint = \(server.url)\n")
        let v2 = try await InstanceMetadataCredentialProvider(context: CredentialContext(environment: home.environment(), http: http)).credentials()
        #expect(v2.accessKeyID == "ASIAIMDS")
        #expect(server.requests.dropFirst().allSatisfy { $0.header("X-aws-ec2-metadata-token") == "imds-token" })

        let refusing = try LocalFakeServer(Self.fake(tokenStatus: 403))
        defer { refusing.stop() }
        try home.write(".aws/config", "[default]\nec2_metadata_service_endpoint = \(refusing.url)\nec2_metadata_v1_disabled = true\n")
        let error = await #expect(throws: CredentialError.self) {
            try await InstanceMetadataCredentialProvider(context: CredentialContext(environment: home.environment(), http: http)).credentials()
        }
        #expect(error?.kind == .notConfigured)
        #expect(refusing.requests.map(\.method) == ["PUT"])
    }

    @Test func endpointModePicksTheIPv6AddressAndRefusesOthers() async throws {
        let fake = FakeHTTPClient()
        try home.write(".aws/config", "[default]\nec2_metadata_service_endpoint_mode = IPv6\n")
        _ = try? await InstanceMetadataCredentialProvider(context: CredentialContext(environment: home.environment(), http: fake)).credentials()
        #expect(await fake.requests.first?.url == "http://[fd00:ec2::254]/latest/api/token")
        let error = await #expect(throws: CredentialError.self) {
            try await InstanceMetadataCredentialProvider(context: CredentialContext(
                environment: home.environment(["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "ipv5"]), http: fake)).credentials()
        }
        #expect(error?.kind == .invalidConfiguration)
    }
}
