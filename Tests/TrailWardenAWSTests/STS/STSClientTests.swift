import Foundation
import Testing
import TrailWardenHTTP
@testable import TrailWardenAWS

@Suite struct STSClientTests {
    static let now = Date(timeIntervalSince1970: 1_768_469_407)
    static let longTerm = AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    static let session = AWSCredentials(accessKeyID: "ASIAEXAMPLE", secretAccessKey: "sessionSecret", sessionToken: "sessionToken")

    func client(_ http: FakeHTTPClient, region: String = "eu-west-1", endpoint: String? = nil) -> STSClient {
        STSClient(http: http, region: region, endpoint: endpoint, retry: RetryPolicy(maxAttempts: 3), clock: { Self.now }, sleep: { _ in })
    }

    /// The service's answer inside the named call error `body` throws.
    func answer(_ body: () async throws -> Void) async -> AWSError? {
        let error = await #expect(throws: AWSCallError.self) { try await body() }
        return error?.underlying as? AWSError
    }

    @Test func getCallerIdentityPostsASignedQueryRequest() async throws {
        let http = FakeHTTPClient()
        await http.on("POST", "https://sts.eu-west-1.amazonaws.com/", body: STSRecordings.getCallerIdentity)
        let identity = try await client(http).getCallerIdentity(credentials: Self.session)
        #expect(identity == CallerIdentity(account: "111122223333", arn: "arn:aws:sts::111122223333:assumed-role/TrailAuditor/trailwarden",
                                           userID: "AROA3XFRBF535PLBIFPI4:trailwarden"))
        let request = try #require(await http.requests.first)
        #expect(request.bodyText == "Action=GetCallerIdentity&Version=2011-06-15")
        #expect(request.header(named: "Content-Type") == "application/x-www-form-urlencoded; charset=utf-8")
        #expect(request.header(named: "X-Amz-Date") == "20260115T093007Z")
        #expect(request.header(named: "X-Amz-Security-Token") == "sessionToken")
        #expect(request.header(named: "X-Amz-Content-SHA256") == nil)
        let authorization = try #require(request.header(named: "Authorization"))
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20260115/eu-west-1/sts/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature="))
        let resigned = try SigV4Signer(service: "sts", region: "eu-west-1").sign(request, credentials: Self.session, at: Self.now)
        #expect(resigned.header(named: "Authorization") == authorization)
    }

    @Test func endpointsFollowThePartitionOrTheOverride() {
        let http = FakeHTTPClient()
        #expect(client(http, region: "cn-north-1").endpoint == "https://sts.cn-north-1.amazonaws.com.cn")
        #expect(client(http, region: "us-gov-west-1").endpoint == "https://sts.us-gov-west-1.amazonaws.com")
        #expect(client(http, endpoint: "http://localhost:4566//").endpoint == "http://localhost:4566")
    }

    @Test func assumeRoleSendsEveryParameterAndParsesCredentials() async throws {
        let http = FakeHTTPClient()
        await http.on("POST", "http://localhost:4566/", body: STSRecordings.assumeRole())
        let request = AssumeRoleRequest(roleARN: "arn:aws:iam::444455556666:role/TrailAuditor", roleSessionName: "trail warden",
                                        externalID: "ext+id=1/2", durationSeconds: 900)
        let role = try await client(http, endpoint: "http://localhost:4566").assumeRole(request, credentials: Self.longTerm)
        #expect(role.credentials == AWSCredentials(accessKeyID: "ASIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
                                                   sessionToken: "FwoGZXIvYXdzEBYaDEXAMPLETOKEN//////////+/=",
                                                   expiration: Date(timeIntervalSince1970: 1_768_473_007)))
        #expect(role.assumedRoleARN == "arn:aws:sts::111122223333:assumed-role/TrailAuditor/trailwarden")
        #expect(role.assumedRoleID == "AROA3XFRBF535PLBIFPI4:trailwarden")
        let sent = try #require(await http.requests.first)
        #expect(sent.bodyText == "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A444455556666%3Arole%2FTrailAuditor"
            + "&RoleSessionName=trail%20warden&ExternalId=ext%2Bid%3D1%2F2&DurationSeconds=900")
        #expect(sent.header(named: "X-Amz-Security-Token") == nil)
        #expect(sent.header(named: "Authorization")?.contains("/20260115/eu-west-1/sts/aws4_request") == true)
    }

    @Test func assumeRoleWithWebIdentityIsUnsigned() async throws {
        let http = FakeHTTPClient()
        await http.on("POST", "https://sts.us-east-1.amazonaws.com/", body: STSRecordings.assumeRoleWithWebIdentity())
        let role = try await client(http, region: "us-east-1")
            .assumeRoleWithWebIdentity(roleARN: "arn:aws:iam::111122223333:role/EksTrailAuditor", roleSessionName: "pod-session",
                                       webIdentityToken: "eyJhbGciOiJSUzI1NiJ9.payload.sig")
        #expect(role.credentials.accessKeyID == "ASIAWEBIDENTITYEXAMPLE")
        #expect(role.credentials.expiration == Date(timeIntervalSince1970: 1_768_473_007.123))
        #expect(role.assumedRoleARN == "arn:aws:sts::111122223333:assumed-role/EksTrailAuditor/pod-session")
        let sent = try #require(await http.requests.first)
        #expect(sent.header(named: "Authorization") == nil)
        #expect(sent.header(named: "X-Amz-Date") == nil)
        #expect(sent.bodyText == "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2FEksTrailAuditor"
            + "&RoleSessionName=pod-session&WebIdentityToken=eyJhbGciOiJSUzI1NiJ9.payload.sig")
    }

    @Test func errorDocumentsBecomeAWSErrors() async throws {
        let http = FakeHTTPClient()
        await http.on("POST", "https://sts.eu-west-1.amazonaws.com/", status: 403, body: STSRecordings.accessDenied)
        let request = AssumeRoleRequest(roleARN: "arn:aws:iam::444455556666:role/TrailAuditor", roleSessionName: "s")
        let error = await answer { _ = try await client(http).assumeRole(request, credentials: Self.longTerm) }
        #expect(error?.code == "AccessDenied")
        #expect(error?.status == 403)
        #expect(error?.requestID == "4e0f5a8c-5d7a-4b8e-9f1e-EXAMPLE00001")
        #expect(error?.message.hasPrefix("User: arn:aws:iam::111122223333:user/alice is not authorized") == true)
        #expect(error?.isRetryable == false)
    }

    @Test func throttlingIsRetriedThenNamesTheCallAndTheRole() async throws {
        let http = FakeHTTPClient()
        await http.on("POST", "https://sts.eu-west-1.amazonaws.com/", status: 400, body: STSRecordings.throttling)
        let request = AssumeRoleRequest(roleARN: "arn:aws:iam::111111111111:role/X", roleSessionName: "s")
        let error = await #expect(throws: AWSCallError.self) { try await client(http).assumeRole(request, credentials: Self.longTerm) }
        #expect(error?.description.hasPrefix("AssumeRole arn:aws:iam::111111111111:role/X: Throttling: ") == true)
        #expect((error?.underlying as? AWSError)?.isThrottling == true)
        #expect(await http.requests.count == 3)
    }

    @Test func oneThrottleOnGetCallerIdentityIsRetried() async throws {
        let http = FakeHTTPClient()
        await http.on("POST", "https://sts.eu-west-1.amazonaws.com/",
                      .response(HTTPResponse(status: 400, body: Array(STSRecordings.throttling.utf8))),
                      .response(HTTPResponse(status: 200, body: Array(STSRecordings.getCallerIdentity.utf8))))
        let identity = try await client(http).getCallerIdentity(credentials: Self.longTerm)
        #expect(identity.account == "111122223333")
        #expect(await http.requests.count == 2)
    }

    @Test(arguments: [
        "not xml at all",
        "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>x</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>",
        "<SomethingElseResponse/>",
    ])
    func malformedSuccessIsAnInvalidResponse(body: String) async throws {
        let http = FakeHTTPClient()
        await http.on("POST", "https://sts.eu-west-1.amazonaws.com/", headers: [("x-amzn-RequestId", "rid-1")], body: body)
        let error = await answer { _ = try await client(http).getCallerIdentity(credentials: Self.longTerm) }
        #expect(error?.code == AWSError.invalidResponseCode)
        #expect(error?.requestID == "rid-1")
    }

    @Test func assumedRoleWithoutExpirationIsInvalid() async throws {
        let http = FakeHTTPClient()
        await http.on("POST", "https://sts.eu-west-1.amazonaws.com/", body: STSRecordings.assumeRole(expiration: "soon"))
        let request = AssumeRoleRequest(roleARN: "arn:aws:iam::1:role/R", roleSessionName: "s")
        let error = await #expect(throws: AWSCallError.self) { try await client(http).assumeRole(request, credentials: Self.longTerm) }
        #expect((error?.underlying as? AWSError)?.code == AWSError.invalidResponseCode)
        #expect(error.map { "\($0)" }?.contains("wJalrXUtnFEMI") == false)
    }

    @Test func transportFailuresPassThrough() async throws {
        let http = FakeHTTPClient()
        await http.on("POST", "https://sts.eu-west-1.amazonaws.com/", .failure(HTTPError(.connectFailed, "connection refused")))
        let error = await #expect(throws: AWSCallError.self) { try await client(http).getCallerIdentity(credentials: Self.longTerm) }
        #expect((error?.underlying as? HTTPError)?.isTransient == true)
        #expect(await http.requests.count == 3)
    }
}
