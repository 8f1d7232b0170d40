import Foundation
import Testing
import TrailWardenHTTP
@testable import TrailWardenAWS

@Suite struct AssumeRoleProfileProviderTests {
    static let sts = "https://sts.eu-west-1.amazonaws.com/"
    let home: TemporaryHome
    let http = FakeHTTPClient()

    init() throws {
        home = try TemporaryHome()
        try home.write(".aws/credentials", """
            [base]
            aws_access_key_id = AKIABASE
            aws_secret_access_key = baseSecret
            [self]
            aws_access_key_id = AKIASELF
            aws_secret_access_key = selfSecret
            """)
        try home.write(".aws/config", """
            [profile audit]
            role_arn = arn:aws:iam::444455556666:role/TrailAuditor
            source_profile = base
            external_id = ext+1
            role_session_name = audit session
            duration_seconds = 900
            region = eu-west-1
            [profile hop]
            role_arn = arn:aws:iam::777788889999:role/LogArchiveReader
            source_profile = audit
            region = eu-west-1
            [profile self]
            role_arn = arn:aws:iam::444455556666:role/Self
            source_profile = self
            [profile loop-a]
            role_arn = arn:aws:iam::1:role/A
            source_profile = loop-b
            [profile loop-b]
            role_arn = arn:aws:iam::1:role/B
            source_profile = loop-a
            [profile from-env]
            role_arn = arn:aws:iam::1:role/FromEnv
            credential_source = Environment
            [profile mfa]
            role_arn = arn:aws:iam::1:role/Mfa
            source_profile = base
            mfa_serial = arn:aws:iam::1:mfa/alice
            [profile orphan]
            role_arn = arn:aws:iam::1:role/Orphan
            [profile plain]
            region = eu-west-1
            """)
    }

    func provider(_ profile: String, _ environment: [String: String] = [:]) -> AssumeRoleProfileProvider {
        let context = CredentialContext(environment: home.environment(["AWS_PROFILE": profile].merging(environment) { _, new in new }),
                                        http: http, clock: { Date(timeIntervalSince1970: 1_768_469_407) })
        return AssumeRoleProfileProvider(context: context)
    }

    @Test func assumesTheRoleWithTheSourceProfilesKeys() async throws {
        await http.on("POST", Self.sts, body: STSRecordings.assumeRole(accessKeyID: "ASIAAUDIT"))
        let credentials = try await provider("audit").credentials()
        #expect(credentials.accessKeyID == "ASIAAUDIT")
        #expect(credentials.expiration == Date(timeIntervalSince1970: 1_768_473_007))
        let request = try #require(await http.requests.first)
        #expect(request.bodyText == "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A444455556666%3Arole%2FTrailAuditor"
            + "&RoleSessionName=audit%20session&ExternalId=ext%2B1&DurationSeconds=900")
        #expect(request.header(named: "Authorization")?.contains("Credential=AKIABASE/20260115/eu-west-1/sts/aws4_request") == true)
    }

    @Test func chainsRolesThroughSourceProfiles() async throws {
        await http.on("POST", Self.sts, .response(HTTPResponse(status: 200, body: Array(STSRecordings.assumeRole(accessKeyID: "ASIAAUDIT").utf8))),
                      .response(HTTPResponse(status: 200, body: Array(STSRecordings.assumeRole(accessKeyID: "ASIAHOP").utf8))))
        #expect(try await provider("hop").credentials().accessKeyID == "ASIAHOP")
        let requests = await http.requests
        #expect(requests.count == 2)
        #expect(requests[0].bodyText.contains("TrailAuditor"))
        #expect(requests[0].header(named: "Authorization")?.contains("Credential=AKIABASE/") == true)
        #expect(requests[1].bodyText.contains("LogArchiveReader"))
        #expect(requests[1].bodyText.contains("RoleSessionName=trailwarden-session-1768469407"))
        #expect(requests[1].header(named: "Authorization")?.contains("Credential=ASIAAUDIT/") == true)
        #expect(requests[1].header(named: "X-Amz-Security-Token") == "FwoGZXIvYXdzEBYaDEXAMPLETOKEN//////////+/=")
    }

    @Test func aProfileMaySourceItsOwnKeys() async throws {
        await http.on("POST", "https://sts.us-east-1.amazonaws.com/", body: STSRecordings.assumeRole(accessKeyID: "ASIASELF"))
        #expect(try await provider("self").credentials().accessKeyID == "ASIASELF")
        #expect(await http.requests.first?.header(named: "Authorization")?.contains("Credential=AKIASELF/") == true)
    }

    @Test func credentialSourceEnvironmentAndRegionFromEnvironment() async throws {
        await http.on("POST", "https://sts.ap-southeast-2.amazonaws.com/", body: STSRecordings.assumeRole(accessKeyID: "ASIAENV"))
        let credentials = try await provider("from-env", ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "envSecret",
                                                          "AWS_DEFAULT_REGION": "ap-southeast-2"]).credentials()
        #expect(credentials.accessKeyID == "ASIAENV")
        #expect(await http.requests.first?.header(named: "Authorization")?.contains("Credential=AKIAENV/20260115/ap-southeast-2/sts/") == true)
    }

    @Test func stsEndpointOverrideFromTheEnvironment() async throws {
        await http.on("POST", "http://localhost:4566/", body: STSRecordings.assumeRole())
        _ = try await provider("audit", ["AWS_ENDPOINT_URL_STS": "http://localhost:4566/"]).credentials()
        #expect(await http.requests.count == 1)
    }

    @Test(arguments: [
        ("loop-a", "source_profile loop: loop-a -> loop-b -> loop-a"),
        ("mfa", "profile mfa requires MFA (mfa_serial), which cannot be prompted for"),
        ("orphan", "profile orphan has role_arn but neither source_profile nor credential_source"),
    ])
    func invalidRoleProfiles(profile: String, message: String) async throws {
        let error = await #expect(throws: CredentialError.self) { try await provider(profile).credentials() }
        #expect(error?.kind == .invalidConfiguration)
        #expect(error?.message == message)
        #expect(await http.requests.isEmpty)
    }

    @Test func profilesWithoutARoleAreNotItsBusiness() async throws {
        let error = await #expect(throws: CredentialError.self) { try await provider("plain").credentials() }
        #expect(error?.kind == .notConfigured)
    }

    @Test func stsRefusalPropagates() async throws {
        await http.on("POST", Self.sts, status: 403, body: STSRecordings.accessDenied)
        let error = await #expect(throws: AWSCallError.self) { try await provider("audit").credentials() }
        #expect((error?.underlying as? AWSError)?.code == "AccessDenied")
    }
}

@Suite struct WebIdentityCredentialProviderTests {
    @Test func exchangesTheTokenFileUnsigned() async throws {
        let home = try TemporaryHome()
        let tokenFile = try home.write("token", "eyJhbGciOiJSUzI1NiJ9.e30.sig\n")
        let http = FakeHTTPClient()
        await http.on("POST", "https://sts.us-west-2.amazonaws.com/", body: STSRecordings.assumeRoleWithWebIdentity())
        let context = CredentialContext(environment: home.environment([
            "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::111122223333:role/EksTrailAuditor",
            "AWS_ROLE_SESSION_NAME": "pod-session", "AWS_REGION": "us-west-2",
        ]), http: http)
        let credentials = try await WebIdentityCredentialProvider(context: context).credentials()
        #expect(credentials.accessKeyID == "ASIAWEBIDENTITYEXAMPLE")
        let request = try #require(await http.requests.first)
        #expect(request.header(named: "Authorization") == nil)
        #expect(request.bodyText.hasSuffix("&RoleSessionName=pod-session&WebIdentityToken=eyJhbGciOiJSUzI1NiJ9.e30.sig"))
    }

    @Test func configuration() async throws {
        let home = try TemporaryHome()
        func error(_ environment: [String: String]) async -> CredentialError? {
            await #expect(throws: CredentialError.self) {
                try await WebIdentityCredentialProvider(context: CredentialContext(environment: home.environment(environment),
                                                                                   http: FakeHTTPClient())).credentials()
            }
        }
        #expect(await error([:])?.kind == .notConfigured)
        #expect(await error(["AWS_ROLE_ARN": "arn"])?.kind == .invalidConfiguration)
        #expect(await error(["AWS_ROLE_ARN": "arn", "AWS_WEB_IDENTITY_TOKEN_FILE": home.path + "/missing"])?.kind == .retrievalFailed)
    }
}
