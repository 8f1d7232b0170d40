import TrailWardenHTTP

/// The pieces of an absolute, already percent-encoded URL that signing and
/// endpoint checks need, split by hand so that the path and query keep the
/// exact encoding they will have on the wire.
struct URLParts: Equatable {
    /// Lower-cased: `http` or `https`.
    var scheme: String
    /// Lower-cased host name or IPv6 literal in brackets, without port or user info.
    var hostName: String
    var port: Int?
    /// The encoded path as written; empty when the URL has none.
    var path: String
    /// The encoded query without `?`; nil when the URL has no `?`.
    var query: String?

    init?(_ url: String) {
        var url = url
        guard let parts = url.withUTF8(Self.split) else { return nil }
        self = parts
    }

    private init(scheme: String, hostName: String, port: Int?, path: String, query: String?) {
        self.scheme = scheme
        self.hostName = hostName
        self.port = port
        self.path = path
        self.query = query
    }

    /// Split on the UTF-8 bytes (every delimiter is ASCII): a request's URL is split for every signature.
    private static func split(_ bytes: UnsafeBufferPointer<UInt8>) -> URLParts? {
        func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
        guard let schemeEnd = bytes.schemeSeparatorOffset else { return nil }
        let restStart = schemeEnd + 3
        let end = bytes[restStart...].firstIndex(of: UInt8(ascii: "#")) ?? bytes.count
        let authorityEnd = bytes[restStart..<end].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? end
        let authorityStart = bytes[restStart..<authorityEnd].lastIndex(of: UInt8(ascii: "@")).map { $0 + 1 } ?? restStart
        let question = bytes[authorityEnd..<end].firstIndex(of: UInt8(ascii: "?"))
        let portSeparator = bytes[authorityStart..<authorityEnd].lastIndex(of: UInt8(ascii: ":")).flatMap { colon in
            bytes[colon..<authorityEnd].contains(UInt8(ascii: "]")) ? nil : colon
        }
        var port: Int?
        if let colon = portSeparator {
            guard let number = Int(text((colon + 1)..<authorityEnd)) else { return nil }
            port = number
        }
        let hostName = text(authorityStart..<(portSeparator ?? authorityEnd)).lowercased()
        guard !hostName.isEmpty else { return nil }
        return URLParts(scheme: text(0..<schemeEnd).lowercased(), hostName: hostName, port: port,
                        path: text(authorityEnd..<(question ?? end)), query: question.map { text(($0 + 1)..<end) })
    }

    /// The `Host` header value: the host name, plus the port unless it is the scheme's default.
    var hostHeader: String {
        guard let port, port != (scheme == "https" ? 443 : scheme == "http" ? 80 : nil) else { return hostName }
        return "\(hostName):\(port)"
    }
}
