/// The parts of a request URL that may appear in a message: scheme, host and
/// port. Never the path or query (a presigned URL carries credentials in its
/// query) nor any user information.
struct RequestTarget: CustomStringConvertible {
    let scheme: String
    let hostAndPort: String

    init(_ url: String) throws {
        guard let separator = url.range(of: "://") else {
            throw HTTPError(.invalidURL, "invalid URL: not absolute")
        }
        scheme = url[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw HTTPError(.invalidURL, "invalid URL: the scheme must be http or https")
        }
        let afterScheme = url[separator.upperBound...]
        let authority = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        hostAndPort = String(authority.split(separator: "@", omittingEmptySubsequences: false).last ?? "")
        guard !hostAndPort.isEmpty, !hostAndPort.hasPrefix(":") else {
            throw HTTPError(.invalidURL, "invalid URL: no host")
        }
        guard url.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else {
            throw HTTPError(.invalidURL, "invalid URL for \(scheme)://\(hostAndPort): not percent-encoded")
        }
    }

    var description: String { "\(scheme)://\(hostAndPort)" }

    /// The host without its port (an IPv6 literal keeps its brackets).
    var hostName: String {
        guard let colon = hostAndPort.lastIndex(of: ":"), !hostAndPort[colon...].contains("]") else { return hostAndPort }
        return String(hostAndPort[..<colon])
    }

    /// `description` for a URL that may be invalid.
    static func describe(_ url: String) -> String {
        (try? RequestTarget(url))?.description ?? "an invalid URL"
    }
}

extension HTTPRequest {
    /// Scheme, host and port of the URL, safe for messages (see `RequestTarget`).
    public var targetDescription: String { RequestTarget.describe(url) }

    /// Checks that the request can be sent as given and returns its target.
    func validated() throws -> RequestTarget {
        let target = try RequestTarget(url)
        guard Self.isToken(method) else {
            throw HTTPError(.invalidRequest, "invalid method for \(target)")
        }
        if method == "HEAD" && !body.isEmpty {
            throw HTTPError(.invalidRequest, "HEAD request with a body for \(target)")
        }
        for header in headers {
            guard Self.isToken(header.name) else {
                throw HTTPError(.invalidRequest, "invalid header name for \(target)")
            }
            guard !header.value.utf8.contains(where: { $0 == 0x0d || $0 == 0x0a || $0 == 0 }) else {
                throw HTTPError(.invalidRequest, "header \(header.name) for \(target) contains a line break")
            }
        }
        return target
    }

    /// An RFC 9110 token: what a method or header name may be.
    private static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            default:
                return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
            }
        }
    }
}
