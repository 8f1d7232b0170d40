/// Receives a 2xx response body piece by piece, so that a body of any size
/// (a multi-gigabyte log file) passes through memory of a fixed size.
///
/// Pieces are valid only during the call. It may be called on a thread of
/// the transport's own while the caller's task is suspended.
public protocol HTTPBodyConsumer {
    mutating func consume(_ piece: UnsafeRawBufferPointer) throws
}

/// Sends HTTP requests: the seam between the AWS layer and the transport, so
/// that the AWS layer can be tested against a fake and knows nothing of curl.
///
/// Implementations must be safe to call concurrently.
public protocol HTTPClient: Sendable {
    /// Sends `request`. For a 2xx status the body is streamed to `consumer` as it arrives and `HTTPResponse.body` is empty;
    /// for any other status the body (an error document) is collected into `HTTPResponse.body`, up to 1 MiB, and `consumer` is not called.
    /// An error thrown by the consumer aborts the transfer and is rethrown unchanged.
    /// Transport failures throw `HTTPError`; cancelling the task aborts the transfer with `CancellationError`.
    func send<Consumer: HTTPBodyConsumer>(_ request: HTTPRequest, streamingInto consumer: inout Consumer) async throws -> HTTPResponse
}

extension HTTPClient {
    /// Sends and collects a 2xx body too, refusing more than `limit` bytes (`HTTPError` of kind `.bodyTooLarge`).
    public func send(_ request: HTTPRequest, limit: Int = 64 << 20) async throws -> HTTPResponse {
        var collector = CollectingBodyConsumer(limit: limit, for: request)
        var response = try await send(request, streamingInto: &collector)
        if response.isSuccess {
            response.body = collector.bytes
        }
        return response
    }
}

/// Collects a body in memory, refusing more than `limit` bytes: for answers
/// that are parsed whole (XML, JSON), never for log files.
public struct CollectingBodyConsumer: HTTPBodyConsumer {
    public let limit: Int
    /// Names the sender in the error, never the path or query.
    public let host: String
    public private(set) var bytes = [UInt8]()

    /// A collector for the answer to `request`.
    public init(limit: Int, for request: HTTPRequest) {
        self.limit = limit
        host = RequestTarget.describe(request.url)
    }

    public mutating func consume(_ piece: UnsafeRawBufferPointer) throws {
        guard bytes.count + piece.count <= limit else {
            throw HTTPError(.bodyTooLarge, "response body from \(host) is larger than \(limit) bytes")
        }
        bytes.append(contentsOf: piece)
    }

    /// Forgets what was collected, for a request sent again.
    public mutating func reset() { bytes.removeAll() }
}
