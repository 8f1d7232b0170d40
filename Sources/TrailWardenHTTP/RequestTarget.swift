/// The parts of a request URL that may appear in a message: scheme, host and
/// port. Never the path or query (a presigned URL carries credentials in its
/// query) nor any user information.
struct RequestTarget: CustomStringConvertible {
    let scheme: String
    let hostAndPort: String

    /// Parsed on the UTF-8 bytes (every delimiter is ASCII): every request's URL is.
    init(_ url: String) throws {
        var url = url
        let printable: Bool
        (scheme, hostAndPort, printable) = try url.withUTF8 { bytes in
            let (scheme, host) = try Self.schemeAndHost(bytes)
            return (scheme, host, bytes.allSatisfy { $0 > 0x20 && $0 < 0x7f })
        }
        guard !hostAndPort.isEmpty, !hostAndPort.hasPrefix(":") else {
            throw HTTPError(.invalidURL, "invalid URL: no host")
        }
        guard printable else {
            throw HTTPError(.invalidURL, "invalid URL for \(scheme)://\(hostAndPort): not percent-encoded")
        }
    }

    private static func schemeAndHost(_ bytes: UnsafeBufferPointer<UInt8>) throws -> (String, String) {
        func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
        guard let separator = bytes.schemeSeparatorOffset else {
            throw HTTPError(.invalidURL, "invalid URL: not absolute")
        }
        let scheme = text(0..<separator).lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw HTTPError(.invalidURL, "invalid URL: the scheme must be http or https")
        }
        let authorityStart = separator + 3
        let authorityEnd = bytes[authorityStart...].firstIndex {
            $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#")
        } ?? bytes.count
        let hostStart = bytes[authorityStart..<authorityEnd].lastIndex(of: UInt8(ascii: "@")).map { $0 + 1 } ?? authorityStart
        return (scheme, text(hostStart..<authorityEnd))
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
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
                 UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
                 UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
                return true
            default:
                return false
            }
        }
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Where the first `://` of a URL's bytes starts.
    public var schemeSeparatorOffset: Int? {
        guard count >= 3 else { return nil }
        return (0...(count - 3)).first { self[$0] == UInt8(ascii: ":") && self[$0 + 1] == UInt8(ascii: "/") && self[$0 + 2] == UInt8(ascii: "/") }
    }
}
