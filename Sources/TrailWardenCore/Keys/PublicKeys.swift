import Foundation
import TrailWardenCrypto
import TrailWardenVocabulary

/// A CloudTrail public key, as ListPublicKeys returns it.
public struct PublicKey: Sendable, Hashable {
    /// Hex MD5 of `der`.
    public var fingerprint: String
    /// PKCS#1 RSAPublicKey or SubjectPublicKeyInfo DER.
    public var der: [UInt8]
    public var validityStart: Date?
    public var validityEnd: Date?

    public init(fingerprint: String, der: [UInt8], validityStart: Date?, validityEnd: Date?) {
        self.fingerprint = fingerprint
        self.der = der
        self.validityStart = validityStart
        self.validityEnd = validityEnd
    }

    /// Why a published key cannot be used.
    public enum Problem: Error, Equatable {
        case notBase64
        case fingerprintMismatch(given: String, actual: String)
    }

    /// A key as ListPublicKeys publishes it: base64 DER and a fingerprint,
    /// which must be the MD5 of the DER (else one key could stand in for
    /// another). A missing fingerprint is computed.
    public init(base64Value: String, fingerprint: String?, validityStart: Date?, validityEnd: Date?) throws(Problem) {
        guard let der = Data(base64Encoded: base64Value), !der.isEmpty else { throw .notBase64 }
        let bytes = [UInt8](der)
        let actual = Digests.md5Hex(bytes)
        if let fingerprint, fingerprint.lowercased() != actual { throw .fingerprintMismatch(given: fingerprint, actual: actual) }
        self.init(fingerprint: fingerprint ?? actual, der: bytes, validityStart: validityStart, validityEnd: validityEnd)
    }

    /// Whether the key's validity overlaps [from, to], as ListPublicKeys selects keys.
    public func isValid(overlapping from: Date, _ to: Date) -> Bool {
        (validityStart.map { $0 <= to } ?? true) && (validityEnd.map { $0 >= from } ?? true)
    }
}

/// Where public keys come from: CloudTrail's ListPublicKeys, or key files.
///
/// Keys are per region and rotate with overlapping validity windows; a source
/// answers for one region.
public protocol PublicKeySource: Sendable {
    /// Keys whose validity overlaps [from, to].
    func publicKeys(from: Date, to: Date) async throws -> [PublicKey]
}

/// Keys known up front, from `--public-keys` files.
public struct StaticPublicKeySource: PublicKeySource {
    public var keys: [PublicKey]

    public init(keys: [PublicKey]) { self.keys = keys }

    public func publicKeys(from: Date, to: Date) async throws -> [PublicKey] {
        keys.filter { $0.isValid(overlapping: from, to) }
    }
}

/// Decodes the JSON that `aws cloudtrail list-public-keys` prints.
public enum PublicKeyList {
    /// A key file that cannot be used, naming the file and the field.
    public struct DecodingError: Error, Equatable, CustomStringConvertible {
        public var file: String
        public var field: String
        public var problem: String
        public var description: String { "\(file): \(field) \(problem)" }
    }

    /// `{"PublicKeyList":[{Value, Fingerprint, ValidityStartTime, ValidityEndTime}]}`,
    /// times as epoch seconds or ISO 8601. A fingerprint that is not the MD5
    /// of the key's bytes is refused: it would let a key stand in for another.
    public static func decode(_ data: Data, file: String) throws(DecodingError) -> [PublicKey] {
        func fail(_ field: String, _ problem: String) -> DecodingError {
            DecodingError(file: file, field: field, problem: problem)
        }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw fail("(document)", "is not a JSON object")
        }
        guard let list = root["PublicKeyList"] as? [Any] else { throw fail("PublicKeyList", "is missing or not a list") }
        var keys = [PublicKey]()
        for (index, entry) in list.enumerated() {
            let path = "PublicKeyList[\(index)]"
            guard let item = entry as? [String: Any] else { throw fail(path, "is not an object") }
            guard let value = item["Value"] as? String else { throw fail(path + ".Value", "is missing or not base64") }
            let fingerprint = item["Fingerprint"]
            guard fingerprint == nil || fingerprint is String else { throw fail(path + ".Fingerprint", "is not a string") }
            let start = try time(item["ValidityStartTime"], field: path + ".ValidityStartTime", fail)
            let end = try time(item["ValidityEndTime"], field: path + ".ValidityEndTime", fail)
            do {
                keys.append(try PublicKey(base64Value: value, fingerprint: fingerprint as? String, validityStart: start, validityEnd: end))
            } catch {
                switch error {
                case .notBase64:
                    throw fail(path + ".Value", "is missing or not base64")
                case .fingerprintMismatch(let given, let actual):
                    throw fail(path + ".Fingerprint", "is \(given) but the key's MD5 fingerprint is \(actual)")
                }
            }
        }
        return keys
    }

    private static func time(_ value: Any?, field: String, _ fail: (String, String) -> DecodingError) throws(DecodingError) -> Date? {
        switch value {
        case nil, is NSNull:
            return nil
        case let number as NSNumber:
            return Date(timeIntervalSince1970: number.doubleValue)
        case let text as String:
            guard let date = CloudTrailTime.parse(text) else { throw fail(field, "is not a time: \(text)") }
            return date
        default:
            throw fail(field, "is not a time")
        }
    }
}
