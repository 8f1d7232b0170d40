import Foundation
import TrailWardenHTTP
import TrailWardenVocabulary

/// The one path every AWS call takes: sign with fresh credentials, send, turn
/// error answers into `AWSError`, and retry what `RetryPolicy` allows.
///
/// Shared by every service client of a run, so that they share the HTTP
/// client's connection pool and its single cap on requests in flight, and (in
/// standard and adaptive mode) one retry quota and one rate limiter.
public struct AWSTransport: Sendable {
    public let http: any HTTPClient
    public private(set) var credentials: any CredentialProvider
    public let retry: RetryPolicy
    /// The endpoints the user configured (`--endpoint-url`, `AWS_ENDPOINT_URL_S3`, the profile's `services`, …).
    public let endpoints: ConfiguredEndpoints
    /// False for the few calls whose proof is in the request (AssumeRoleWithWebIdentity).
    let signsRequests: Bool
    let clock: @Sendable () -> Date
    let sleep: @Sendable (TimeInterval) async throws -> Void
    /// Standard and adaptive mode's budget of retries; nil in legacy mode and TrailWarden's default.
    let retryQuota: RetryQuota?
    /// Adaptive mode's client-side rate limiter; nil in the other modes.
    let rateLimiter: ClientRateLimiter?

    /// - Parameters:
    ///   - endpointOverride: one endpoint for every service, such as an emulator; shorthand for `endpoints: .only(…)`.
    ///   - endpoints: per-service endpoints; wins over `endpointOverride`.
    public init(http: any HTTPClient, credentials: any CredentialProvider, endpointOverride: String? = nil,
                endpoints: ConfiguredEndpoints? = nil, retry: RetryPolicy = RetryPolicy(),
                clock: @escaping @Sendable () -> Date = { Date() },
                sleep: @escaping @Sendable (TimeInterval) async throws -> Void = AWSTransport.taskSleep) {
        self.init(http: http, credentials: credentials, signsRequests: true, endpoints: endpoints ?? .only(endpointOverride),
                  retry: retry, clock: clock, sleep: sleep)
    }

    init(http: any HTTPClient, credentials: any CredentialProvider, signsRequests: Bool, endpoints: ConfiguredEndpoints,
         retry: RetryPolicy, clock: @escaping @Sendable () -> Date, sleep: @escaping @Sendable (TimeInterval) async throws -> Void) {
        self.http = http
        self.credentials = credentials
        self.signsRequests = signsRequests
        self.endpoints = endpoints
        self.retry = retry
        self.clock = clock
        self.sleep = sleep
        retryQuota = retry.mode == .standard || retry.mode == .adaptive ? RetryQuota() : nil
        rateLimiter = retry.mode == .adaptive ? ClientRateLimiter(clock: clock, sleep: sleep) : nil
    }

    /// This transport signing with `credentials` (an assumed role's), sharing its
    /// HTTP client, endpoints, retry quota and rate limiter.
    public func using(credentials: any CredentialProvider) -> AWSTransport {
        var copy = self
        copy.credentials = credentials
        return copy
    }

    /// The production wait between attempts.
    public static let taskSleep: @Sendable (TimeInterval) async throws -> Void = { try await Task.sleep(nanoseconds: UInt64($0 * 1e9)) }

    /// The base URL of `service` (an endpoint prefix: `s3`, `monitoring`, `events`) in `region`, as configured.
    public func endpoint(service: String, region: String) -> String {
        AWSEndpoints.url(service: service, region: region, configured: endpoints)
    }

    /// The endpoint configured for `service`; nil when it uses the public one.
    public func configuredEndpoint(service: String) -> String? { endpoints.override(for: service) }

    /// The endpoint configured for every service (`--endpoint-url`, `AWS_ENDPOINT_URL`, the profile's
    /// `endpoint_url`); nil when there is none.
    public var endpointOverride: String? { endpoints.override(for: "") }

    /// Sends a signed request and returns its successful answer with the body collected.
    public func send(_ request: HTTPRequest, signingName: String, region: String, limit: Int = 64 << 20) async throws -> HTTPResponse {
        var collector = BodyCollector(limit: limit, subject: "response body from \(request.targetDescription)")
        var response = try await stream(request, signingName: signingName, region: region, into: &collector)
        response.body = collector.bytes
        return response
    }

    /// Sends a signed request, streaming a successful answer's body into `consumer`.
    /// `check` judges each successful attempt's body once it is complete; an error it
    /// throws is retried like any other (a body that fails its checksum may pass next time).
    public func stream<Consumer: BodyConsumer>(_ request: HTTPRequest, signingName: String, region: String, into consumer: inout Consumer,
                                               check: (HTTPResponse, Consumer) throws -> Void = { _, _ in }) async throws -> HTTPResponse {
        var generator = SystemRandomNumberGenerator()
        var attempt = 1
        var lastRetryCost: Int?
        while true {
            var lastResponse: HTTPResponse?
            do {
                try await rateLimiter?.acquireToken()
                let signed = signsRequests
                    ? try SigV4Signer(service: signingName, region: region).sign(request, credentials: try await credentials.credentials(), at: clock())
                    : request
                let response = try await reported(signed, into: &consumer)
                lastResponse = response
                guard (200..<300).contains(response.status) else { throw AWSError(response: response) }
                try check(response, consumer)
                retryQuota?.release(lastRetryCost: lastRetryCost)
                return response
            } catch {
                guard attempt < retry.maxAttempts, RetryPolicy.isRetryable(error) else { throw error }
                if let retryQuota {
                    guard let cost = retryQuota.acquire(after: error) else { throw error }
                    lastRetryCost = cost
                }
                let wait = retry.delay(beforeRetry: attempt, retryAfter: RetryAfter.seconds(lastResponse, now: clock()), using: &generator)
                consumer.reset()
                try await sleep(wait)
                attempt += 1
            }
        }
    }

    /// One attempt, reported to the rate limiter (adaptive mode): a throttling
    /// answer slows the transport, anything else lets it speed up again.
    private func reported<Consumer: BodyConsumer>(_ request: HTTPRequest, into consumer: inout Consumer) async throws -> HTTPResponse {
        guard let rateLimiter else { return try await http.send(request, streamingInto: &consumer) }
        let response: HTTPResponse
        do {
            response = try await http.send(request, streamingInto: &consumer)
        } catch {
            await rateLimiter.record(throttled: false)
            throw error
        }
        await rateLimiter.record(throttled: !(200..<300).contains(response.status) && AWSError(response: response).isThrottling)
        return response
    }
}
