import Foundation
import TrailWardenHTTP

/// A response body consumer that can start over, so that a read interrupted
/// mid-body can be retried from the first byte.
public protocol RestartableBodyConsumer: HTTPBodyConsumer {
    mutating func restart()
}

/// The one path every AWS call takes: sign with fresh credentials, send, turn
/// error answers into `AWSError`, and retry what `RetryPolicy` allows.
///
/// Shared by every service client of a run, so that they share the HTTP
/// client's connection pool and its single cap on requests in flight.
public struct AWSTransport: Sendable {
    public let http: any HTTPClient
    public let credentials: any CredentialProvider
    public let retry: RetryPolicy
    /// An explicit endpoint for every service (`--endpoint-url`, AWS_ENDPOINT_URL), such as an emulator.
    public let endpointOverride: String?
    let clock: @Sendable () -> Date
    let sleep: @Sendable (TimeInterval) async throws -> Void

    public init(http: any HTTPClient, credentials: any CredentialProvider, endpointOverride: String? = nil,
                retry: RetryPolicy = RetryPolicy(), clock: @escaping @Sendable () -> Date = { Date() },
                sleep: @escaping @Sendable (TimeInterval) async throws -> Void = { try await Task.sleep(nanoseconds: UInt64($0 * 1e9)) }) {
        self.http = http
        self.credentials = credentials
        self.endpointOverride = endpointOverride.flatMap { $0.isEmpty ? nil : $0 }
        self.retry = retry
        self.clock = clock
        self.sleep = sleep
    }

    /// The base URL of `service` in `region`, or the override.
    public func endpoint(service: String, region: String) -> String {
        AWSEndpoints.url(service: service, region: region, override: endpointOverride)
    }

    /// Sends a signed request and returns its successful answer with the body collected.
    public func send(_ request: HTTPRequest, signingName: String, region: String, limit: Int = 64 << 20) async throws -> HTTPResponse {
        var collector = CollectingBodyConsumer(limit: limit, for: request)
        var response = try await stream(request, signingName: signingName, region: region, into: &collector)
        response.body = collector.bytes
        return response
    }

    /// Sends a signed request, streaming a successful answer's body into `consumer`.
    public func stream<Consumer: RestartableBodyConsumer>(_ request: HTTPRequest, signingName: String, region: String,
                                                          into consumer: inout Consumer) async throws -> HTTPResponse {
        var generator = SystemRandomNumberGenerator()
        var attempt = 1
        while true {
            var lastResponse: HTTPResponse?
            do {
                let signed = try SigV4Signer(service: signingName, region: region)
                    .sign(request, credentials: try await credentials.credentials(), at: clock())
                let response = try await http.send(signed, streamingInto: &consumer)
                lastResponse = response
                guard (200..<300).contains(response.status) else { throw AWSError(response: response) }
                return response
            } catch {
                guard attempt < retry.maxAttempts, RetryPolicy.isRetryable(error) else { throw error }
                let wait = retry.delay(beforeRetry: attempt, retryAfter: RetryAfter.seconds(lastResponse, now: clock()), using: &generator)
                consumer.restart()
                try await sleep(wait)
                attempt += 1
            }
        }
    }
}

extension CollectingBodyConsumer: RestartableBodyConsumer {
    public mutating func restart() { reset() }
}
