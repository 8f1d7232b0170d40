import Foundation
import Testing
import TrailWardenHTTP
import TrailWardenVocabulary
@testable import TrailWardenAWS

/// Signing, retries and error typing, on recorded answers.
@Suite struct TransportTests {
    static let url = "https://cloudtrail.us-east-1.amazonaws.com/"
    static let request = HTTPRequest(method: "POST", url: url, headers: [("Content-Type", "application/x-amz-json-1.1")], body: Array("{}".utf8))

    /// Records the waits instead of waiting.
    actor Sleeps {
        var delays: [TimeInterval] = []
        func add(_ delay: TimeInterval) { delays.append(delay) }
    }

    static func transport(_ http: any HTTPClient, sleeps: Sleeps, attempts: Int = 4) -> AWSTransport {
        AWSTransport(http: http, credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret")),
                     retry: RetryPolicy(maxAttempts: attempts, baseDelay: 0.01, maxDelay: 5),
                     sleep: { await sleeps.add($0) })
    }

    static func answer(_ status: Int, _ body: String, headers: [(name: String, value: String)] = []) -> FakeHTTPClient.Answer {
        .response(HTTPResponse(status: status, headers: headers, body: Array(body.utf8)))
    }

    @Test func retriesThrottlingWithBackoffAndSignsEachAttempt() async throws {
        let http = FakeHTTPClient()
        let sleeps = Sleeps()
        await http.on("POST", Self.url, Self.answer(400, #"{"__type":"ThrottlingException","message":"Rate exceeded"}"#),
                      Self.answer(503, "<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>"),
                      Self.answer(200, #"{"ok":true}"#))
        let response = try await Self.transport(http, sleeps: sleeps).send(Self.request, signingName: "cloudtrail", region: "us-east-1")
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"ok":true}"#)
        let requests = await http.requests
        #expect(requests.count == 3)
        #expect(requests.allSatisfy { $0.headers.contains { $0.name == "Authorization" && $0.value.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") } })
        #expect(await sleeps.delays.count == 2)
    }

    @Test func honoursRetryAfter() async throws {
        let http = FakeHTTPClient()
        let sleeps = Sleeps()
        await http.on("POST", Self.url, Self.answer(503, "busy", headers: [("Retry-After", "3")]), Self.answer(200, "{}"))
        _ = try await Self.transport(http, sleeps: sleeps).send(Self.request, signingName: "cloudtrail", region: "us-east-1")
        #expect(await sleeps.delays == [3])
    }

    @Test func errorsThatWaitingCannotFixSurfaceAtOnce() async throws {
        for (status, body, code) in [(403, "<Error><Code>AccessDenied</Code><Message>no</Message><RequestId>R1</RequestId></Error>", "AccessDenied"),
                                     (400, #"{"__type":"com.amazon#ExpiredTokenException","message":"expired"}"#, "ExpiredTokenException"),
                                     (404, "<Error><Code>NoSuchKey</Code><Message>gone</Message></Error>", "NoSuchKey")] {
            let http = FakeHTTPClient()
            let sleeps = Sleeps()
            await http.on("POST", Self.url, Self.answer(status, body))
            do {
                _ = try await Self.transport(http, sleeps: sleeps).send(Self.request, signingName: "cloudtrail", region: "us-east-1")
                Issue.record("\(code) succeeded")
            } catch let error as AWSError {
                #expect(error.code == code)
                #expect(error.status == status)
            }
            #expect(await http.requests.count == 1)
            #expect(await sleeps.delays.isEmpty)
        }
    }

    @Test func givesUpAfterTheLastAttemptWithTheLastError() async throws {
        let http = FakeHTTPClient()
        let sleeps = Sleeps()
        await http.on("POST", Self.url, Self.answer(500, "<html><body>Internal Server Error</body></html>"))
        await #expect(throws: AWSError.self) {
            _ = try await Self.transport(http, sleeps: sleeps, attempts: 3).send(Self.request, signingName: "cloudtrail", region: "us-east-1")
        }
        #expect(await http.requests.count == 3)
    }

    @Test func transientNetworkFailuresAreRetried() async throws {
        let http = FakeHTTPClient()
        let sleeps = Sleeps()
        await http.on("POST", Self.url, .failure(HTTPError(.connectionReset, "connection reset by 127.0.0.1", isTransient: true)), Self.answer(200, "{}"))
        _ = try await Self.transport(http, sleeps: sleeps).send(Self.request, signingName: "cloudtrail", region: "us-east-1")
        #expect(await http.requests.count == 2)
    }

    /// A body cut off mid-stream is fetched again from its first byte.
    @Test func aStreamInterruptedMidBodyRestartsTheConsumer() async throws {
        actor Attempts { var count = 0; func next() -> Int { count += 1; return count } }
        struct FlakyClient: HTTPClient {
            let attempts = Attempts()
            func send<Consumer: BodyConsumer>(_ request: HTTPRequest, streamingInto consumer: inout Consumer) async throws -> HTTPResponse {
                let attempt = await attempts.next()
                try Array("partial".utf8).withUnsafeBytes { try consumer.consume($0) }
                if attempt == 1 { throw HTTPError(.connectionReset, "reset mid-body", isTransient: true) }
                try Array(" and whole".utf8).withUnsafeBytes { try consumer.consume($0) }
                return HTTPResponse(status: 200)
            }
        }
        let response = try await Self.transport(FlakyClient(), sleeps: Sleeps()).send(Self.request, signingName: "s3", region: "us-east-1")
        #expect(String(decoding: response.body, as: UTF8.self) == "partial and whole")
    }

    @Test func backoffIsBoundedAndJittered() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: 0.1, maxDelay: 2)
        var random = SystemRandomNumberGenerator()
        for retry in 1...9 {
            let delay = policy.delay(beforeRetry: retry, retryAfter: nil, using: &random)
            #expect(delay >= 0 && delay <= min(2, 0.1 * pow(2, Double(retry - 1))))
        }
        #expect(policy.delay(beforeRetry: 1, retryAfter: 60, using: &random) == 2)
    }
}
