import Foundation
import Testing
import TrailWardenHTTP
@testable import TrailWardenAWS

/// Standard mode's retry quota: botocore's numbers, shared by every call of a transport.
@Suite struct RetryQuotaTests {
    static let busy = AWSError(code: "ServiceUnavailable", message: "busy", status: 503)

    @Test func retriesCostFiveTimeoutsTenAndSuccessGivesBack() {
        let quota = RetryQuota(tokens: 22)
        #expect(quota.acquire(after: Self.busy) == 5)
        #expect(quota.acquire(after: HTTPError(.timedOut, "GET / timed out")) == 10)
        #expect(quota.available == 7)
        #expect(quota.acquire(after: HTTPError(.timedOut, "GET / timed out")) == nil)
        #expect(quota.available == 7, "a retry the quota cannot pay takes nothing")
        #expect(quota.acquire(after: HTTPError(.connectionReset, "reset")) == 5)
        quota.release(lastRetryCost: nil)
        #expect(quota.available == 3)
        quota.release(lastRetryCost: 10)
        #expect(quota.available == 13)
        quota.release(lastRetryCost: 10)
        quota.release(lastRetryCost: nil)
        #expect(quota.available == 22, "never above what it started with")
        #expect(RetryQuota.initialTokens == 500)
    }

    @Test func aServiceThatIsDownStopsBeingRetriedOnceTheQuotaIsSpent() async throws {
        let url = "https://cloudtrail.us-east-1.amazonaws.com/"
        let http = FakeHTTPClient()
        await http.on("POST", url, .response(HTTPResponse(status: 503, headers: [], body: Array("busy".utf8))))
        let transport = AWSTransport(http: http, credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKID", secretAccessKey: "s")),
                                     retry: RetryPolicy(mode: .standard, maxAttempts: 3), sleep: { _ in })
        let request = HTTPRequest(method: "POST", url: url, headers: [], body: [])
        // Each failed call retries twice (10 tokens): 500 tokens pay for 50 calls; the 51st and 52nd are tried once.
        for _ in 0..<52 {
            await #expect(throws: AWSError.self) { _ = try await transport.using(credentials: transport.credentials)
                .send(request, signingName: "cloudtrail", region: "us-east-1") }
        }
        #expect(await http.requests.count == 50 * 3 + 2)
        #expect(transport.retryQuota?.available == 0)
    }

    @Test func legacyModeAndTheDefaultHaveNoQuota() {
        let http = FakeHTTPClient()
        let credentials = StaticCredentialProvider(AWSCredentials(accessKeyID: "AKID", secretAccessKey: "s"))
        #expect(AWSTransport(http: http, credentials: credentials, retry: RetryPolicy(mode: .legacy)).retryQuota == nil)
        #expect(AWSTransport(http: http, credentials: credentials).retryQuota == nil)
        #expect(AWSTransport(http: http, credentials: credentials, retry: RetryPolicy(mode: .adaptive)).retryQuota != nil)
        #expect(AWSTransport(http: http, credentials: credentials, retry: RetryPolicy(mode: .standard)).rateLimiter == nil)
    }
}
