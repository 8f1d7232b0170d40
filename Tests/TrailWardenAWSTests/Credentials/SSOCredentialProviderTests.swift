import Foundation
import Testing
import TrailWardenHTTP
import TrailWardenVocabulary
@testable import TrailWardenAWS

/// IAM Identity Center profiles against a local fake of the SSO portal and SSO-OIDC.
@Suite struct SSOCredentialProviderTests {
    let home: TemporaryHome
    let clock = TestClock()
    let http = CurlHTTPClient()

    init() throws {
        home = try TemporaryHome()
        try home.write(".aws/config", """
            [profile dev]
            sso_session = corp
            sso_account_id = 111122223333
            sso_role_name = TrailAuditor
            region = eu-west-1

            [sso-session corp]
            sso_start_url = https://corp.awsapps.com/start
            sso_region = us-east-1
            sso_registration_scopes = sso:account:access

            [profile legacy]
            sso_start_url = https://legacy.awsapps.com/start
            sso_region = eu-central-1
            sso_account_id = 444455556666
            sso_role_name = Reader

            [profile half]
            sso_session = corp
            sso_role_name = TrailAuditor

            [profile clash]
            sso_session = corp
            sso_region = eu-west-3
            sso_account_id = 111122223333
            sso_role_name = TrailAuditor

            """)
    }

    /// The fake portal: role credentials for the bearer token `valid-token` or `fresh-token`, 401 otherwise;
    /// the fake OIDC: a new token for refresh token `refresh-1`.
    static func fakeAnswer(_ request: LocalFakeServer.Request) -> LocalFakeServer.Answer {
        switch (request.method, request.path) {
        case ("GET", "/federation/credentials"):
            guard ["valid-token", "fresh-token"].contains(request.header("x-amz-sso_bearer_token") ?? "") else {
                return .json(#"{"message":"Session token not found or invalid"}"#, status: 401)
            }
            return .json(#"{"roleCredentials":{"accessKeyId":"ASIASSOEXAMPLE","secretAccessKey":"ssoSecret","sessionToken":"ssoSession","expiration":1768473007000}}"#)
        case ("POST", "/token"):
            guard request.bodyText.contains(#""refreshToken":"refresh-1""#) else { return .json(#"{"error":"invalid_grant"}"#, status: 400) }
            return .json(#"{"accessToken":"fresh-token","expiresIn":28800,"refreshToken":"refresh-2","tokenType":"Bearer"}"#)
        default:
            return .text("no route", status: 404)
        }
    }

    func context(_ server: LocalFakeServer, profile: String, _ extra: [String: String] = [:]) -> CredentialContext {
        CredentialContext(environment: home.environment(["AWS_ENDPOINT_URL_SSO": server.url, "AWS_ENDPOINT_URL_SSO_OIDC": server.url,
                                                         "AWS_PROFILE": profile].merging(extra) { _, new in new }),
                          http: http, clock: clock.function)
    }

    /// The cache file the AWS CLI would write, named by a SHA-1 computed outside TrailWarden.
    func writeCache(for name: String, _ fields: [String: String]) throws -> String {
        let path = ".aws/sso/cache/\(try Self.sha1Hex(name)).json"
        try home.write(path, String(decoding: try JSONSerialization.data(withJSONObject: fields), as: UTF8.self))
        return home.path + "/" + path
    }

    static func sha1Hex(_ text: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import hashlib, sys; print(hashlib.sha1(sys.argv[1].encode()).hexdigest())", text]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func time(_ offset: TimeInterval) -> String { CloudTrailTime.display(clock.now.addingTimeInterval(offset)) }

    @Test func ssoSessionProfileUsesTheCachedTokenNamedForTheSession() async throws {
        let server = try LocalFakeServer(Self.fakeAnswer)
        defer { server.stop() }
        _ = try writeCache(for: "corp", ["startUrl": "https://corp.awsapps.com/start", "region": "us-east-1",
                                         "accessToken": "valid-token", "expiresAt": time(3600)])
        let credentials = try await SSOCredentialProvider(context: context(server, profile: "dev")).credentials()
        #expect(credentials == AWSCredentials(accessKeyID: "ASIASSOEXAMPLE", secretAccessKey: "ssoSecret", sessionToken: "ssoSession",
                                              expiration: Date(timeIntervalSince1970: 1_768_473_007)))
        let request = try #require(server.requests.first)
        #expect(request.target == "/federation/credentials?account_id=111122223333&role_name=TrailAuditor")
        #expect(request.header("Authorization") == nil)
    }

    @Test func legacyProfileUsesTheCacheNamedForTheStartURL() async throws {
        let server = try LocalFakeServer(Self.fakeAnswer)
        defer { server.stop() }
        _ = try writeCache(for: "https://legacy.awsapps.com/start", ["accessToken": "valid-token", "expiresAt": time(600).replacingOccurrences(of: "Z", with: "UTC")])
        let credentials = try await SSOCredentialProvider(context: context(server, profile: "legacy")).credentials()
        #expect(credentials.accessKeyID == "ASIASSOEXAMPLE")
        #expect(server.requests.map(\.target) == ["/federation/credentials?account_id=444455556666&role_name=Reader"])
    }

    @Test func aTokenNearExpiryIsRefreshedAndWrittenBack() async throws {
        let server = try LocalFakeServer(Self.fakeAnswer)
        defer { server.stop() }
        let cache = try writeCache(for: "corp", ["startUrl": "https://corp.awsapps.com/start", "region": "us-east-1",
                                                 "accessToken": "old-token", "expiresAt": time(300), "refreshToken": "refresh-1",
                                                 "clientId": "client", "clientSecret": "clientSecret",
                                                 "registrationExpiresAt": time(86400)])
        let credentials = try await SSOCredentialProvider(context: context(server, profile: "dev")).credentials()
        #expect(credentials.accessKeyID == "ASIASSOEXAMPLE")
        #expect(server.requests.map(\.path) == ["/token", "/federation/credentials"])
        #expect(server.requests.last?.header("x-amz-sso_bearer_token") == "fresh-token")
        let written = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cache))) as? [String: String])
        #expect(written["accessToken"] == "fresh-token")
        #expect(written["refreshToken"] == "refresh-2")
        #expect(written["expiresAt"] == time(28800))
        #expect(written["clientId"] == "client")
        let permissions = try FileManager.default.attributesOfItem(atPath: cache)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
    }

    @Test func anExpiredTokenWithoutARefreshSaysToLogIn() async throws {
        let server = try LocalFakeServer(Self.fakeAnswer)
        defer { server.stop() }
        _ = try writeCache(for: "corp", ["accessToken": "valid-token", "expiresAt": time(-60)])
        let error = await #expect(throws: CredentialError.self) {
            try await SSOCredentialProvider(context: context(server, profile: "dev")).credentials()
        }
        #expect(error?.kind == .retrievalFailed)
        #expect(error?.message == "the cached SSO token has expired for profile dev; run aws sso login --profile dev")
        #expect(server.requests.isEmpty)
    }

    @Test func aFailedRefreshOfAnExpiredTokenSaysToLogIn() async throws {
        let server = try LocalFakeServer(Self.fakeAnswer)
        defer { server.stop() }
        _ = try writeCache(for: "corp", ["accessToken": "old-token", "expiresAt": time(-60), "refreshToken": "revoked",
                                         "clientId": "client", "clientSecret": "s", "registrationExpiresAt": time(86400)])
        let error = await #expect(throws: CredentialError.self) {
            try await SSOCredentialProvider(context: context(server, profile: "dev")).credentials()
        }
        #expect(error?.message.hasSuffix("run aws sso login --profile dev") == true)
        #expect(server.requests.map(\.path) == ["/token"])
    }

    @Test func noCacheOrARefusedTokenSaysToLogIn() async throws {
        let server = try LocalFakeServer(Self.fakeAnswer)
        defer { server.stop() }
        let missing = await #expect(throws: CredentialError.self) {
            try await SSOCredentialProvider(context: context(server, profile: "legacy")).credentials()
        }
        #expect(missing?.message == "no cached SSO token for profile legacy; run aws sso login --profile legacy")
        _ = try writeCache(for: "https://legacy.awsapps.com/start", ["accessToken": "revoked-token", "expiresAt": time(3600)])
        let refused = await #expect(throws: CredentialError.self) {
            try await SSOCredentialProvider(context: context(server, profile: "legacy")).credentials()
        }
        #expect(refused?.message.hasPrefix("the SSO portal refused the cached token") == true)
        #expect(refused?.message.hasSuffix("run aws sso login --profile legacy") == true)
    }

    @Test func configurationErrorsNameTheProfile() async throws {
        let server = try LocalFakeServer(Self.fakeAnswer)
        defer { server.stop() }
        func error(_ profile: String) async -> CredentialError? {
            await #expect(throws: CredentialError.self) {
                try await SSOCredentialProvider(context: context(server, profile: profile)).credentials()
            }
        }
        #expect(await error("half")?.message == "the profile \"half\" is configured to use SSO but is missing required configuration: sso_account_id")
        #expect(await error("clash")?.message.hasPrefix("sso_region of profile clash (eu-west-3) differs") == true)
        try home.write(".aws/config", "[profile keys]\nregion = us-east-1\n")
        #expect(await error("keys")?.kind == .notConfigured)
    }

    @Test func theDefaultChainUsesSSOAndTheLogNeverHoldsTheToken() async throws {
        let server = try LocalFakeServer(Self.fakeAnswer)
        defer { server.stop() }
        _ = try writeCache(for: "corp", ["accessToken": "valid-token", "expiresAt": time(3600)])
        let log = LogRecorder()
        var context = context(server, profile: "dev")
        context.log = log.function
        context.http = RequestLogHTTPClient(http, log: log.function)
        let credentials = try await DefaultCredentialChain(context: context).credentials()
        #expect(credentials.accessKeyID == "ASIASSOEXAMPLE")
        #expect(log.lines.contains("Found credentials from sso"))
        #expect(log.lines.contains { $0.contains("x-amz-sso_bearer_token: <redacted>") })
        #expect(log.lines.allSatisfy { $0.containsNone(of: ["valid-token", "ssoSecret", "ssoSession"]) })
    }
}
