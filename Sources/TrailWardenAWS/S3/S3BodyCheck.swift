import Foundation
import TrailWardenCrypto
import TrailWardenHTTP
import TrailWardenVocabulary

/// A body that is not the one S3 stored: shorter or longer than its
/// Content-Length, or failing the checksum S3 sent with it. A fault of the
/// way there (a proxy, a cut connection), never evidence about the object:
/// retried, then reported as an error.
public struct BodyIntegrityError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Passes an object's body on to the caller's consumer while checking it, as
/// it streams, against what S3 says of it: its Content-Length, and the first
/// of an `x-amz-checksum-*` value (SHA-256, SHA-1, CRC32, CRC32C; composite
/// multipart ones, ending in `-N`, cannot be checked) or a plain MD5 ETag
/// (32 hex digits, only on objects that are not SSE-KMS, DSSE-KMS or SSE-C,
/// whose ETags are not the MD5 of the body). Hashes the raw bytes only.
struct CheckedBody<Inner: BodyConsumer>: BodyConsumer {
    var inner: Inner
    private var expectedLength: Int?
    private var received = 0
    private var hash: BodyHash?

    init(_ inner: Inner) { self.inner = inner }

    mutating func begin(headers: [(name: String, value: String)]) throws {
        let response = HTTPResponse(status: 200, headers: headers)
        expectedLength = response.header("Content-Length").flatMap { Int($0.trimmingSpacesAndTabs()) }
        received = 0
        hash = BodyHash(for: response)
        try inner.begin(headers: headers)
    }

    mutating func consume(_ piece: UnsafeRawBufferPointer) throws {
        received += piece.count
        hash?.update(piece)
        try inner.consume(piece)
    }

    mutating func reset() {
        received = 0
        hash = nil
        expectedLength = nil
        inner.reset()
    }

    /// Throws `BodyIntegrityError` unless the complete body matches what S3 said of it.
    func verify(_ object: String) throws {
        if let expectedLength, expectedLength != received {
            throw BodyIntegrityError(message: "\(object): received \(received) bytes of a body of \(expectedLength)")
        }
        if let hash, let mismatch = hash.mismatch() {
            throw BodyIntegrityError(message: "\(object): the body received does not match \(mismatch)")
        }
    }
}

/// One running hash of a body and the value S3 gave for it.
private struct BodyHash {
    private enum Running {
        case digest(MessageDigest)
        case crc(CRC32)
    }

    private var running: Running
    private let expected: [UInt8]
    /// Names the header checked, for the error.
    private let source: String

    /// The check S3's answer allows, if any.
    init?(for response: HTTPResponse) {
        let checksums: [(String, () -> Running)] = [
            ("x-amz-checksum-sha256", { .digest(MessageDigest(.sha256)) }), ("x-amz-checksum-sha1", { .digest(MessageDigest(.sha1)) }),
            ("x-amz-checksum-crc32", { .crc(CRC32(.ieee)) }), ("x-amz-checksum-crc32c", { .crc(CRC32(.castagnoli)) }),
        ]
        for (header, start) in checksums {
            guard let value = response.header(header)?.trimmingSpacesAndTabs(), !value.contains("-"),
                  let decoded = Data(base64Encoded: value) else { continue }
            running = start()
            expected = [UInt8](decoded)
            source = "its \(header) \(value)"
            return
        }
        guard let etag = response.header("ETag").map(Self.unquoted), let md5 = try? Hex.decode(etag), md5.count == 16,
              !["aws:kms", "aws:kms:dsse"].contains(response.header("x-amz-server-side-encryption")?.lowercased() ?? ""),
              response.header("x-amz-server-side-encryption-customer-algorithm") == nil
        else { return nil }
        running = .digest(MessageDigest(.md5))
        expected = md5
        source = "its ETag \(etag)"
    }

    mutating func update(_ piece: UnsafeRawBufferPointer) {
        switch running {
        case .digest(let digest): digest.update(piece)
        case .crc(var crc):
            crc.update(piece)
            running = .crc(crc)
        }
    }

    /// What the body failed to match, or nil when it matches. Ends the hash.
    func mismatch() -> String? {
        let actual: [UInt8]
        switch running {
        case .digest(let digest): actual = digest.finalize()
        case .crc(let crc): actual = crc.bigEndianBytes
        }
        return actual == expected ? nil : source
    }

    private static func unquoted(_ etag: String) -> String {
        var value = Substring(etag.trimmingSpacesAndTabs())
        if value.hasPrefix("W/") { value = value.dropFirst(2) }
        while value.first == "\"" { value.removeFirst() }
        while value.last == "\"" { value.removeLast() }
        return String(value)
    }
}
