/// One HTTP request, exactly as it is to go on the wire.
///
/// Exists so that a signer (SigV4 lives in another module) can compute a
/// signature over precisely what is sent: the transport sends `headers` as
/// given and adds only what HTTP itself needs (`Host` when absent,
/// `Content-Length` for a body, `User-Agent` when absent).
public struct HTTPRequest: Sendable {
    /// `GET`, `HEAD`, `PUT`, `POST` or `DELETE` (any token is accepted).
    public var method: String
    /// Absolute `http://` or `https://` URL, already percent-encoded; sent as
    /// is (dot segments are not removed).
    public var url: String
    /// Sent in this order. An empty value is sent as an empty header.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Sends the request over a new connection, closed afterwards: for a
    /// second read that must not share whatever a reused connection (or the
    /// proxy behind it) got wrong the first time.
    public var freshConnection: Bool

    public init(method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
                freshConnection: Bool = false) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.freshConnection = freshConnection
    }
}
