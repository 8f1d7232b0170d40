/// Why a request got no HTTP response (an HTTP error status is a response,
/// not an `HTTPError`).
///
/// Exists so that callers can decide on retries (`isTransient`) without
/// knowing curl's error codes. The message names the method and host only:
/// never the path, the query string (presigned URLs carry credentials there)
/// or any header.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// No connection could be made: refused, unreachable, or the name did not resolve.
        case connectFailed
        /// The connect, idle or total timeout expired.
        case timedOut
        /// The connection broke or the response ended early (for example mid-body).
        case connectionReset
        /// TLS failed: handshake, or certificate verification.
        case tls
        /// The URL is not an absolute, percent-encoded http or https URL.
        case invalidURL
        /// The method or a header cannot be sent (for example a line break in a value).
        case invalidRequest
        /// Anything else, including a malformed response.
        case other
    }

    public var kind: Kind
    public var message: String
    /// Whether sending the same request again may succeed.
    public var isTransient: Bool

    public init(_ kind: Kind, _ message: String, isTransient: Bool? = nil) {
        self.kind = kind
        self.message = message
        self.isTransient = isTransient ?? [.connectFailed, .timedOut, .connectionReset].contains(kind)
    }

    public var description: String { message }
}
