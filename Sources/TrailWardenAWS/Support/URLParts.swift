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
        guard let schemeEnd = url.range(of: "://") else { return nil }
        scheme = url[..<schemeEnd.lowerBound].lowercased()
        var rest = url[schemeEnd.upperBound...]
        if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let afterAuthority = rest[authorityEnd...]
        if let question = afterAuthority.firstIndex(of: "?") {
            path = String(afterAuthority[..<question])
            query = String(afterAuthority[afterAuthority.index(after: question)...])
        } else {
            path = String(afterAuthority)
            query = nil
        }
        let portSeparator = authority.lastIndex(of: ":").flatMap { colon in
            authority[colon...].contains("]") ? nil : colon
        }
        if let colon = portSeparator {
            guard let port = Int(authority[authority.index(after: colon)...]) else { return nil }
            self.port = port
            hostName = authority[..<colon].lowercased()
        } else {
            port = nil
            hostName = authority.lowercased()
        }
        guard !hostName.isEmpty else { return nil }
    }

    /// The `Host` header value: the host name, plus the port unless it is the scheme's default.
    var hostHeader: String {
        guard let port, port != (scheme == "https" ? 443 : scheme == "http" ? 80 : nil) else { return hostName }
        return "\(hostName):\(port)"
    }
}
