import Foundation
import Synchronization
import TrailWardenCrypto
import TrailWardenHTTP
import TrailWardenVocabulary

/// Signs requests with AWS Signature Version 4 for one service in one region.
///
/// Signing is a pure function of the request, the credentials and the time,
/// so callers pass the time in: requests are reproducible in tests and a
/// retry can be re-signed with a fresh date. Re-signing a signed request
/// replaces its previous signature headers.
public struct SigV4Signer: Sendable {
    /// The signing name, such as `s3`, `sts` or `cloudtrail`.
    public var service: String
    public var region: String

    public init(service: String, region: String) {
        self.service = service
        self.region = region
    }

    /// S3 signs its path without a second encoding and requires
    /// `x-amz-content-sha256` on every request.
    public var usesS3Rules: Bool { service == "s3" }

    public static let algorithm = "AWS4-HMAC-SHA256"
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// The headers signing adds; any earlier values are replaced.
    public enum HeaderName {
        public static let authorization = "Authorization"
        public static let date = "X-Amz-Date"
        public static let securityToken = "X-Amz-Security-Token"
        public static let contentSHA256 = "X-Amz-Content-SHA256"
    }

    /// The hex SHA-256 of an empty body: the payload hash of nearly every request.
    static let emptyPayloadHash = Digests.sha256Hex([UInt8]())
    /// The headers signing replaces, by name and lower-cased name: S3's last.
    static let replacedBySigning = [HeaderName.authorization, HeaderName.date, HeaderName.securityToken, HeaderName.contentSHA256]
        .map { (name: $0, lowercased: $0.lowercased()) }

    /// Every intermediate of one signature, for tests and debugging.
    public struct Signature: Sendable {
        public var canonicalRequest: CanonicalRequest
        public var stringToSign: String
        public var signature: String
        public var authorization: String
    }

    /// `request` with `X-Amz-Date`, `X-Amz-Security-Token` (session
    /// credentials), `X-Amz-Content-SHA256` (S3) and `Authorization` set.
    ///
    /// The payload hash is the hex SHA-256 of the body unless the request
    /// already carries `X-Amz-Content-SHA256` (for example `UNSIGNED-PAYLOAD`).
    /// Throws when the URL is not absolute.
    public func sign(_ request: HTTPRequest, credentials: AWSCredentials, at date: Date) throws(SigningError) -> HTTPRequest {
        try signature(of: request, credentials: credentials, at: date).request
    }

    /// The signed request and the intermediates that produced it.
    ///
    /// The canonical request, the string to sign and the `Authorization` value are built as bytes: this runs
    /// for every request, and String's appends and interpolations cost more than the hashing.
    public func signature(of request: HTTPRequest, credentials: AWSCredentials,
                          at date: Date) throws(SigningError) -> (request: HTTPRequest, signature: Signature) {
        let amzDate = Self.amzDate(date)
        let day = String(amzDate.prefix(8))
        let payloadHash = request.header(named: HeaderName.contentSHA256)
            ?? (request.body.isEmpty ? Self.emptyPayloadHash : Digests.sha256Hex(request.body))
        let replaced = Self.replacedBySigning.prefix(usesS3Rules ? 4 : 3)
        var signed = request
        // Built afresh with room for the signing headers: removing from the shared array and appending would copy it twice.
        signed.headers = []
        signed.headers.reserveCapacity(request.headers.count + 4)
        for header in request.headers where !replaced.contains(where: { header.name.equalsIgnoringASCIICase(lowercased: $0.lowercased) }) {
            signed.headers.append(header)
        }
        signed.headers.append((HeaderName.date, amzDate))
        if let token = credentials.sessionToken { signed.headers.append((HeaderName.securityToken, token)) }
        if usesS3Rules { signed.headers.append((HeaderName.contentSHA256, payloadHash)) }

        guard let canonical = CanonicalRequest(signed, doubleEncodePath: !usesS3Rules, payloadHash: payloadHash) else {
            throw SigningError(url: request.url)
        }
        // `day/region/service/aws4_request`, in the string to sign and in the credential.
        var scope = [UInt8]()
        scope.reserveCapacity(day.utf8.count + region.utf8.count + service.utf8.count + 15)
        scope.append(utf8: day)
        scope.append(UInt8(ascii: "/"))
        scope.append(utf8: region)
        scope.append(UInt8(ascii: "/"))
        scope.append(utf8: service)
        scope.append(utf8: "/aws4_request")

        var stringToSign = [UInt8]()
        stringToSign.reserveCapacity(Self.algorithm.utf8.count + amzDate.utf8.count + scope.count + 67)
        stringToSign.append(utf8: Self.algorithm)
        stringToSign.append(UInt8(ascii: "\n"))
        stringToSign.append(utf8: amzDate)
        stringToSign.append(UInt8(ascii: "\n"))
        stringToSign.append(contentsOf: scope)
        stringToSign.append(UInt8(ascii: "\n"))
        canonical.bytes.withUnsafeBytes { Digests.appendSHA256Hex(of: $0, to: &stringToSign) }

        let key = SigningKeyCache.shared.key(secret: credentials.secretAccessKey, day: day, region: region, service: service)
        let signature = Hex.encode(key.authenticate(stringToSign))

        var authorization = [UInt8]()
        authorization.reserveCapacity(Self.algorithm.utf8.count + credentials.accessKeyID.utf8.count + scope.count
            + 2 * canonical.headers.count + canonical.headers.reduce(0) { $0 + $1.name.utf8.count } + signature.utf8.count + 40)
        authorization.append(utf8: Self.algorithm)
        authorization.append(utf8: " Credential=")
        authorization.append(utf8: credentials.accessKeyID)
        authorization.append(UInt8(ascii: "/"))
        authorization.append(contentsOf: scope)
        authorization.append(utf8: ", SignedHeaders=")
        canonical.appendSignedHeaders(to: &authorization)
        authorization.append(utf8: ", Signature=")
        authorization.append(utf8: signature)
        let authorizationText = String(decoding: authorization, as: UTF8.self)
        signed.headers.append((HeaderName.authorization, authorizationText))
        return (signed, Signature(canonicalRequest: canonical, stringToSign: String(decoding: stringToSign, as: UTF8.self),
                                  signature: signature, authorization: authorizationText))
    }
}

extension SigV4Signer {
    /// The last second's `X-Amz-Date`: the requests of one second share it, so it is formatted once.
    private static let lastAmzDate = Mutex<(second: Double, text: String)?>(nil)

    static func amzDate(_ date: Date) -> String {
        let second = date.timeIntervalSince1970.rounded(.down)
        if let last = lastAmzDate.withLock({ $0 }), last.second == second { return last.text }
        let text = CloudTrailTime.keyStamp(date)
        lastAmzDate.withLock { $0 = (second, text) }
        return text
    }
}

/// The request could not be signed because its URL is not an absolute URL.
public struct SigningError: Error, Sendable, CustomStringConvertible {
    public var url: String
    public var description: String { "cannot sign a request for '\(url)': not an absolute URL" }
}

extension HTTPRequest {
    /// The first value of the header called `name`, compared case-insensitively.
    func header(named name: String) -> String? {
        let wanted = name.lowercasedHeaderName()
        return headers.first { $0.name.equalsIgnoringASCIICase(lowercased: wanted) }?.value
    }
}

extension String {
    /// `lowercased() == lowercased` for the ASCII names of HTTP headers, without building a lower-cased copy.
    func equalsIgnoringASCIICase(lowercased: String) -> Bool {
        utf8.count == lowercased.utf8.count && zip(utf8, lowercased.utf8).allSatisfy { byte, lower in
            ((UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte) == lower
        }
    }
}
