import Foundation
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
    /// Lower-cased names of the headers signing replaces.
    static let replacedBySigning: Set<String> = [HeaderName.authorization, HeaderName.date, HeaderName.securityToken]
        .reduce(into: []) { $0.insert($1.lowercased()) }
    static let replacedByS3Signing = replacedBySigning.union([HeaderName.contentSHA256.lowercased()])

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
    public func signature(of request: HTTPRequest, credentials: AWSCredentials,
                          at date: Date) throws(SigningError) -> (request: HTTPRequest, signature: Signature) {
        let amzDate = CloudTrailTime.keyStamp(date)
        var signed = request
        let payloadHash = request.header(named: HeaderName.contentSHA256)
            ?? (request.body.isEmpty ? Self.emptyPayloadHash : Digests.sha256Hex(request.body))
        let replacedNames = usesS3Rules ? Self.replacedByS3Signing : Self.replacedBySigning
        signed.headers.removeAll { replacedNames.contains($0.name.lowercased()) }
        signed.headers.append((HeaderName.date, amzDate))
        if let token = credentials.sessionToken { signed.headers.append((HeaderName.securityToken, token)) }
        if usesS3Rules { signed.headers.append((HeaderName.contentSHA256, payloadHash)) }

        guard let canonical = CanonicalRequest(signed, doubleEncodePath: !usesS3Rules, payloadHash: payloadHash) else {
            throw SigningError(url: request.url)
        }
        let scope = "\(amzDate.prefix(8))/\(region)/\(service)/aws4_request"
        let stringToSign = [Self.algorithm, amzDate, scope, Digests.sha256Hex(Array(canonical.text.utf8))]
            .joined(separator: "\n")
        let key = SigningKeyCache.shared.key(secret: credentials.secretAccessKey, day: String(amzDate.prefix(8)), region: region,
                                             service: service)
        let signature = Hex.encode(HMAC.sha256(key: key, message: stringToSign))
        let authorization = "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(scope), "
            + "SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"
        signed.headers.append((HeaderName.authorization, authorization))
        return (signed, Signature(canonicalRequest: canonical, stringToSign: stringToSign,
                                  signature: signature, authorization: authorization))
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
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}
