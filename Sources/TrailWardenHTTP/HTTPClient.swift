import TrailWardenVocabulary

/// Sends HTTP requests: the seam between the AWS layer and the transport, so
/// that the AWS layer can be tested against a fake and knows nothing of curl.
///
/// Implementations must be safe to call concurrently.
public protocol HTTPClient: Sendable {
    /// Sends `request`. For a 2xx status the consumer's `begin` gets the final header fields, then the body is streamed to
    /// `consume` as it arrives, and `HTTPResponse.body` is empty; for any other status the body (an error document) is
    /// collected into `HTTPResponse.body`, up to 1 MiB, and `consumer` is not called.
    /// An error thrown by the consumer aborts the transfer and is rethrown unchanged.
    /// Transport failures throw `HTTPError` (a body shorter than its Content-Length is `.connectionReset`); cancelling the
    /// task aborts the transfer with `CancellationError`, never a short body returned as success.
    func send<Consumer: BodyConsumer>(_ request: HTTPRequest, streamingInto consumer: inout Consumer) async throws -> HTTPResponse
}

extension HTTPClient {
    /// Sends and collects a 2xx body too, refusing more than `limit` bytes (`BodyTooLargeError`).
    public func send(_ request: HTTPRequest, limit: Int = 64 << 20) async throws -> HTTPResponse {
        var collector = BodyCollector(limit: limit, subject: "response body from \(request.targetDescription)")
        var response = try await send(request, streamingInto: &collector)
        if response.isSuccess {
            response.body = collector.bytes
        }
        return response
    }
}
