/// The final response to an `HTTPRequest` (never an interim `1xx`, and never
/// a redirect target: redirects are returned, not followed).
///
/// Exists so that callers above the transport (AWS error parsing, retries)
/// see status, headers and any error document without knowing about curl.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// In the order received, names as the server spelled them.
    public var headers: [(name: String, value: String)]
    /// Empty when a 2xx body was streamed to a consumer; otherwise the body
    /// (for a non-2xx status, the error document, at most 1 MiB of it).
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// True for a 2xx status: the only responses whose body is streamed.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The value of the first header called `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.equalsIgnoringCase(name) }?.value
    }
}
