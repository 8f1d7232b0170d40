import Foundation

/// A log file as a digest file lists it.
public struct LogFileReference: Sendable, Hashable, Codable {
    public var bucket: String
    public var key: String
    /// Hex SHA-256 of the uncompressed log file.
    public var hashValue: String

    public init(bucket: String, key: String, hashValue: String) {
        self.bucket = bucket
        self.key = key
        self.hashValue = hashValue
    }
}

/// The fields of a CloudTrail digest file that validation relies on.
///
/// Unknown fields are ignored. A missing or mistyped field that validation
/// needs makes the digest "invalid format", as does a body that is not a
/// JSON object: TrailWarden never guesses at a digest's meaning.
public struct DigestFile: Sendable {
    public var digestStartTime: String
    /// Kept as written: it is part of the signed string.
    public var digestEndTime: String
    public var digestS3Bucket: String
    public var digestS3Object: String
    public var publicKeyFingerprint: String
    public var previousDigestS3Bucket: String?
    public var previousDigestS3Object: String?
    public var previousDigestHashValue: String?
    /// Hex signature of the previous digest; nil at the start of a chain.
    public var previousDigestSignature: String?
    public var logFiles: [LogFileReference]

    /// Why a body is not a digest file.
    public struct FormatError: Error, Equatable, CustomStringConvertible {
        public var field: String
        public var description: String { "invalid or missing field \(field)" }
    }

    /// Parses JSON text, accepting any JSON value as Python's `json.loads`
    /// does; nil when it is not JSON.
    public static func parseJSON(_ bytes: [UInt8]) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    }

    /// Decodes the uncompressed JSON of a digest file.
    public init(json: [UInt8]) throws(FormatError) {
        try self.init(jsonValue: DigestFile.parseJSON(json) as Any)
    }

    /// Decodes a parsed JSON value of a digest file.
    public init(jsonValue: Any) throws(FormatError) {
        guard let object = jsonValue as? [String: Any] else { throw FormatError(field: "(document)") }
        func string(_ name: String) throws(FormatError) -> String {
            guard let value = object[name] as? String else { throw FormatError(field: name) }
            return value
        }
        func optionalString(_ name: String, required: Bool = false) throws(FormatError) -> String? {
            guard let value = object[name] else {
                if required { throw FormatError(field: name) }
                return nil
            }
            if value is NSNull { return nil }
            guard let text = value as? String else { throw FormatError(field: name) }
            return text
        }
        // The reference's required keys, then what log validation needs.
        publicKeyFingerprint = try string("digestPublicKeyFingerprint")
        digestS3Bucket = try string("digestS3Bucket")
        digestS3Object = try string("digestS3Object")
        previousDigestSignature = try optionalString("previousDigestSignature", required: true)
        digestEndTime = try string("digestEndTime")
        digestStartTime = try string("digestStartTime")
        previousDigestS3Bucket = try optionalString("previousDigestS3Bucket")
        previousDigestS3Object = try optionalString("previousDigestS3Object")
        previousDigestHashValue = try optionalString("previousDigestHashValue")
        guard let logs = object["logFiles"] as? [Any] else { throw FormatError(field: "logFiles") }
        var references = [LogFileReference]()
        references.reserveCapacity(logs.count)
        for (index, entry) in logs.enumerated() {
            guard let log = entry as? [String: Any] else { throw FormatError(field: "logFiles[\(index)]") }
            guard let bucket = log["s3Bucket"] as? String else { throw FormatError(field: "logFiles[\(index)].s3Bucket") }
            guard let key = log["s3Object"] as? String else { throw FormatError(field: "logFiles[\(index)].s3Object") }
            guard let hash = log["hashValue"] as? String else { throw FormatError(field: "logFiles[\(index)].hashValue") }
            references.append(LogFileReference(bucket: bucket, key: key, hashValue: hash))
        }
        logFiles = references
    }

    /// The string CloudTrail signs: end time, location, hash of the
    /// uncompressed digest, and the previous signature (`null` at a chain start).
    public func stringToSign(uncompressedSHA256Hex: String) -> String {
        "\(digestEndTime)\n\(digestS3Bucket)/\(digestS3Object)\n\(uncompressedSHA256Hex)\n\(previousDigestSignature ?? "null")"
    }

    /// True at the start of a chain: no link to a previous digest.
    public var hasPreviousLink: Bool { previousDigestS3Bucket != nil && previousDigestS3Object != nil }
}
