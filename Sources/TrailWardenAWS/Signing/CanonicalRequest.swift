import TrailWardenCrypto
import TrailWardenHTTP

/// The canonical form of a request that SigV4 hashes and signs.
///
/// The service rebuilds this text from the request it receives; a signature
/// is only accepted when both sides produce the same bytes, so every rule
/// here follows AWS's specification as botocore implements it:
/// - path: S3 signs the encoded path exactly as sent; every other service
///   signs it with dot segments and empty segments removed, then encoded a
///   second time.
/// - query: each name and value decoded and re-encoded with the unreserved
///   set, pairs sorted by name and then value, a bare name given `=`.
/// - headers: names lower-cased and trimmed, values trimmed with runs of
///   white space collapsed, repeated headers joined by commas, sorted; hop-by-hop
///   and proxy-rewritten headers are left out; `host` comes from the URL when
///   the request does not set it.
public struct CanonicalRequest: Sendable {
    public var method: String
    public var path: String
    public var query: String
    /// Lower-case name and canonical value, sorted by name.
    public var headers: [(name: String, value: String)]
    /// Hex SHA-256 of the body, or a marker such as `UNSIGNED-PAYLOAD`.
    public var payloadHash: String

    /// Headers that proxies and HTTP stacks add, drop or rewrite, so signing them would break.
    static let unsignedHeaders = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    /// The canonical request for `request`; nil when its URL is not absolute.
    public init?(_ request: HTTPRequest, doubleEncodePath: Bool, payloadHash: String) {
        guard let url = URLParts(request.url) else { return nil }
        method = request.method.utf8.contains(where: { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || $0 >= 0x80 })
            ? request.method.uppercased() : request.method
        path = doubleEncodePath ? PercentEncoding.encode(Self.removingDotSegments(url.path), keepingSlashes: true)
                                : (url.path.isEmpty ? "/" : url.path)
        query = Self.canonicalQuery(url.query ?? "")
        headers = Self.canonicalHeaders(request.headers, host: url.hostHeader)
        self.payloadHash = payloadHash
    }

    /// `host;x-amz-date;...`: the names of the signed headers.
    public var signedHeaders: String {
        var bytes = [UInt8]()
        appendSignedHeaders(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The text whose SHA-256 goes into the string to sign.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// `text` as the signer hashes it: `method \n path \n query \n`, then `name:value \n` per header,
    /// then `\n signedHeaders \n payloadHash`, appended into one buffer.
    var bytes: [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(method.utf8.count + path.utf8.count + query.utf8.count + payloadHash.utf8.count
            + headers.reduce(0) { $0 + 2 * $1.name.utf8.count + $1.value.utf8.count + 3 } + 4)
        bytes.append(utf8: method)
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(utf8: path)
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(utf8: query)
        bytes.append(UInt8(ascii: "\n"))
        for header in headers {
            bytes.append(utf8: header.name)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(utf8: header.value)
            bytes.append(UInt8(ascii: "\n"))
        }
        bytes.append(UInt8(ascii: "\n"))
        appendSignedHeaders(to: &bytes)
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(utf8: payloadHash)
        return bytes
    }

    /// Appends `signedHeaders`, for text the signer builds as bytes.
    func appendSignedHeaders(to bytes: inout [UInt8]) {
        for (index, header) in headers.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ";")) }
            bytes.append(utf8: header.name)
        }
    }

    /// RFC 3986 section 5.2.4, and empty segments dropped as AWS requires; the
    /// leading slash is always kept, a trailing one only after a segment.
    static func removingDotSegments(_ path: String) -> String {
        var segments = [Substring]()
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) where segment != "." {
            if segment == ".." {
                _ = segments.popLast()
            } else {
                segments.append(segment)
            }
        }
        let trailing = path.hasSuffix("/") && !segments.isEmpty ? "/" : ""
        return "/" + segments.joined(separator: "/") + trailing
    }

    static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        let pairs = query.split(separator: "&", omittingEmptySubsequences: false).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PercentEncoding.encode(bytes: PercentEncoding.decodedBytes(String(parts[0])))
            let value = parts.count > 1 ? PercentEncoding.encode(bytes: PercentEncoding.decodedBytes(String(parts[1]))) : ""
            return (name: Array(name.utf8), value: Array(value.utf8))
        }
        let sorted = pairs.sorted { lhs, rhs in
            lhs.name == rhs.name ? lhs.value.lexicographicallyPrecedes(rhs.value) : lhs.name.lexicographicallyPrecedes(rhs.name)
        }
        return sorted.map { String(decoding: $0.name + [UInt8(ascii: "=")] + $0.value, as: UTF8.self) }
            .joined(separator: "&")
    }

    static func canonicalHeaders(_ headers: [(name: String, value: String)], host: String) -> [(name: String, value: String)] {
        // A request has a handful of headers: a list searched in order costs less than a dictionary.
        var entries = [(name: String, value: String)]()
        entries.reserveCapacity(headers.count + 1)
        for header in headers {
            let name = header.name.trimmingWhitespace().lowercasedHeaderName()
            guard !unsignedHeaders.contains(where: { $0.utf8.count == name.utf8.count && $0 == name }) else { continue }
            let value = collapsingWhitespace(header.value)
            if let index = entries.firstIndex(where: { $0.name == name }) {
                entries[index].value += "," + value
            } else {
                entries.append((name, value))
            }
        }
        if !entries.contains(where: { $0.name == "host" }) {
            entries.append(("host", host))
        }
        entries.sort { $0.name.utf8Precedes($1.name) }
        return entries
    }

    /// Trims the value and turns every run of ASCII white space into one space.
    static func collapsingWhitespace(_ value: String) -> String {
        if isCollapsed(value) { return value }
        return value.unicodeScalars.split(whereSeparator: \.isASCIIWhitespace).map { String(String.UnicodeScalarView($0)) }
            .joined(separator: " ")
    }

    /// True when collapsing would change nothing (most values): no white space at either end,
    /// none but single spaces inside. Read in place; a string not stored contiguously is collapsed the long way.
    private static func isCollapsed(_ value: String) -> Bool {
        value.utf8.withContiguousStorageIfAvailable { bytes in
            var previous = UInt8(ascii: " ")
            for byte in bytes {
                if (UInt8(ascii: "\t")...UInt8(ascii: "\r")).contains(byte) || (byte == UInt8(ascii: " ") && previous == byte) { return false }
                previous = byte
            }
            return previous != UInt8(ascii: " ") || bytes.isEmpty
        } ?? false
    }
}

extension Unicode.Scalar {
    /// Space, tab, line feed, carriage return, vertical tab and form feed.
    var isASCIIWhitespace: Bool { self == " " || ("\t"..."\r").contains(self) }
}

extension String {
    /// `lowercased()`, which allocates and consults Unicode's tables, skipped for the names nearly every header
    /// has: the signer's own (lower-cased once, in `SigV4Signer.replacedBySigning`) and ASCII with no capital.
    func lowercasedHeaderName() -> String {
        if let known = SigV4Signer.replacedBySigning.first(where: { $0.name.utf8.count == utf8.count && $0.name == self }) {
            return known.lowercased
        }
        let plain = utf8.withContiguousStorageIfAvailable { bytes in
            !bytes.contains { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || $0 >= 0x80 }
        }
        return plain == true ? self : lowercased()
    }

    /// Whether the UTF-8 form sorts before `other`'s, compared in place: SigV4 sorts by bytes.
    func utf8Precedes(_ other: String) -> Bool {
        let inPlace = utf8.withContiguousStorageIfAvailable { bytes in
            other.utf8.withContiguousStorageIfAvailable { otherBytes in bytes.lexicographicallyPrecedes(otherBytes) }
        }
        return (inPlace ?? nil) ?? utf8.lexicographicallyPrecedes(other.utf8)
    }

    /// Without leading and trailing ASCII white space.
    func trimmingWhitespace() -> String {
        // ASCII white space is one byte, and no byte of a longer scalar is one: unchanged when neither end is.
        if let first = utf8.first, let last = utf8.last,
           !Unicode.Scalar(first).isASCIIWhitespace, !Unicode.Scalar(last).isASCIIWhitespace { return self }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isASCIIWhitespace }),
              let last = scalars.lastIndex(where: { !$0.isASCIIWhitespace }) else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}

extension [UInt8] {
    /// Appends `text`'s UTF-8 form in one copy where it is stored contiguously (always, for a native string);
    /// `append(contentsOf: text.utf8)` copies byte by byte.
    mutating func append(utf8 text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ append(contentsOf: $0) }) == nil {
            append(contentsOf: text.utf8)
        }
    }
}
