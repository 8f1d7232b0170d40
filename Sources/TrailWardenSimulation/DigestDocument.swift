import Foundation
import TrailWardenCore
import TrailWardenVocabulary

/// A digest file as CloudTrail writes it, with its fields in CloudTrail's order
/// and explicit nulls, so simulated digests look like real ones.
struct DigestDocument {
    struct LogEntry {
        var bucket: String
        var key: String
        var hashValue: String
        var newestEventTime: String
        var oldestEventTime: String
    }

    var accountID: String
    var startTime: String
    var endTime: String
    var bucket: String
    var key: String
    var fingerprint: String
    var newestEventTime: String?
    var oldestEventTime: String?
    var previousBucket: String?
    var previousKey: String?
    var previousHashValue: String?
    var previousSignature: String?
    var logFiles: [LogEntry]

    /// The uncompressed JSON text.
    func render() -> [UInt8] {
        var fields: [(String, String)] = [
            ("awsAccountId", quote(accountID)),
            ("digestStartTime", quote(startTime)),
            ("digestEndTime", quote(endTime)),
            ("digestS3Bucket", quote(bucket)),
            ("digestS3Object", quote(key)),
            ("digestPublicKeyFingerprint", quote(fingerprint)),
            ("digestSignatureAlgorithm", quote("SHA256withRSA")),
            ("newestEventTime", quote(newestEventTime)),
            ("oldestEventTime", quote(oldestEventTime)),
            ("previousDigestS3Bucket", quote(previousBucket)),
            ("previousDigestS3Object", quote(previousKey)),
            ("previousDigestHashValue", quote(previousHashValue)),
            ("previousDigestHashAlgorithm", quote(previousHashValue == nil ? nil : "SHA-256")),
            ("previousDigestSignature", quote(previousSignature)),
        ]
        let logs = logFiles.map { log in
            object([
                ("s3Bucket", quote(log.bucket)), ("s3Object", quote(log.key)), ("hashValue", quote(log.hashValue)),
                ("hashAlgorithm", quote("SHA-256")), ("newestEventTime", quote(log.newestEventTime)),
                ("oldestEventTime", quote(log.oldestEventTime)),
            ])
        }
        fields.append(("logFiles", "[" + logs.joined(separator: ",") + "]"))
        return Array(object(fields).utf8)
    }

    private func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\(quote($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    private func quote(_ text: String?) -> String {
        text.map(JSONString.quote) ?? "null"
    }
}
