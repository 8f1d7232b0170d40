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

    /// The largest digest file accepted, compressed and uncompressed. A
    /// digest lists each log file of its hour in about 300 bytes of JSON, so
    /// 64 MiB is some 200,000 log files in one hour from one account and
    /// region: far beyond what CloudTrail delivers (a busy account-region
    /// delivers thousands a day, a few hundred KiB of digest an hour). Bigger
    /// objects are "invalid format" (see docs/local-store.md), which bounds the
    /// memory and time a forged digest can cost before its signature is checked.
    public static let maximumCompressedSize = 16 << 20
    public static let maximumUncompressedSize = 64 << 20

    /// Decodes the uncompressed JSON of a digest file: nil when it is not
    /// JSON (Python's `json.loads` would fail), else the file or the first
    /// field that is missing or mistyped.
    public static func decode(_ json: [UInt8]) -> Result<DigestFile, FormatError>? {
        DigestJSONReader.read(json)
    }

    /// Decodes the uncompressed JSON of a digest file; text that is not JSON is a `(document)` error.
    public init(json: [UInt8]) throws(FormatError) {
        guard let decoded = DigestFile.decode(json) else { throw FormatError(field: "(document)") }
        self = try decoded.get()
    }

    init(publicKeyFingerprint: String, digestS3Bucket: String, digestS3Object: String, previousDigestSignature: String?,
         digestEndTime: String, digestStartTime: String, previousDigestS3Bucket: String?, previousDigestS3Object: String?,
         previousDigestHashValue: String?, logFiles: [LogFileReference]) {
        self.publicKeyFingerprint = publicKeyFingerprint
        self.digestS3Bucket = digestS3Bucket
        self.digestS3Object = digestS3Object
        self.previousDigestSignature = previousDigestSignature
        self.digestEndTime = digestEndTime
        self.digestStartTime = digestStartTime
        self.previousDigestS3Bucket = previousDigestS3Bucket
        self.previousDigestS3Object = previousDigestS3Object
        self.previousDigestHashValue = previousDigestHashValue
        self.logFiles = logFiles
    }

    /// The string CloudTrail signs: end time, location, hash of the
    /// uncompressed digest, and the previous signature (`null` at a chain start).
    public func stringToSign(uncompressedSHA256Hex: String) -> String {
        "\(digestEndTime)\n\(digestS3Bucket)/\(digestS3Object)\n\(uncompressedSHA256Hex)\n\(previousDigestSignature ?? "null")"
    }

    /// True at the start of a chain: no link to a previous digest.
    public var hasPreviousLink: Bool { previousDigestS3Bucket != nil && previousDigestS3Object != nil }
}
