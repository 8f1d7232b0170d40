// Stand-in for the HTTP module so the AWS layer compiles before it lands:
// these are the agreed declarations, with the simplest implementations.
// The integrator replaces this file with the real module.

/// One HTTP request; `url` is absolute and already percent-encoded.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// One HTTP response; `body` is empty when the body was streamed elsewhere.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of the header called `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}

/// Receives a response body piece by piece.
public protocol HTTPBodyConsumer {
    mutating func consume(_ piece: UnsafeRawBufferPointer) throws
}

/// Sends requests; implementations are safe to call concurrently.
public protocol HTTPClient: Sendable {
    func send<Consumer: HTTPBodyConsumer>(_ request: HTTPRequest, streamingInto consumer: inout Consumer) async throws -> HTTPResponse
}

extension HTTPClient {
    /// Sends `request` and collects a body of at most `limit` bytes into the response.
    public func send(_ request: HTTPRequest, limit: Int = 64 << 20) async throws -> HTTPResponse {
        var collector = CollectingConsumer(limit: limit)
        var response = try await send(request, streamingInto: &collector)
        response.body = collector.bytes
        return response
    }
}

private struct CollectingConsumer: HTTPBodyConsumer {
    let limit: Int
    var bytes = [UInt8]()

    mutating func consume(_ piece: UnsafeRawBufferPointer) throws {
        guard bytes.count + piece.count <= limit else {
            throw HTTPError(message: "response body is larger than \(limit) bytes", isTransient: false)
        }
        bytes.append(contentsOf: piece)
    }
}

/// A transport failure: the request got no HTTP answer.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// True when trying again may succeed (timeouts, refused or reset connections).
    public var isTransient: Bool

    public init(message: String, isTransient: Bool) {
        self.message = message
        self.isTransient = isTransient
    }

    public var description: String { message }
}
