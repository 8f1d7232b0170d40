internal import CLibCrypto
import Foundation

/// A streaming message digest (SHA-256, SHA-1 or MD5) over OpenSSL's EVP interface.
///
/// Streaming matters: a log file is hashed chunk by chunk as it is inflated,
/// so its size never dictates memory. A value type would copy the C context
/// unsafely, so this is a final class that owns it.
public final class MessageDigest {
    /// The algorithms TrailWarden needs: SHA-256 for CloudTrail hashes, MD5 for
    /// public-key fingerprints and S3 ETags, SHA-1 for S3 object checksums.
    public enum Algorithm: Sendable {
        case sha256
        case sha1
        case md5

        var evp: OpaquePointer {
            switch self {
            case .sha256: return Self.fetchedSHA256
            case .sha1: return Self.fetchedSHA1
            case .md5: return Self.fetchedMD5
            }
        }

        // Fetched once: OpenSSL 3 looks a legacy `EVP_sha256()` up in its provider store again on every
        // `EVP_DigestInit_ex`, and a log file's GET starts three digests. A fetched EVP_MD is immutable and
        // may be shared by threads (OpenSSL's crypto(7)), hence `nonisolated(unsafe)`; it lives as long as the
        // process. When the fetch fails (no provider offers it), the legacy handle still works.
        nonisolated(unsafe) private static let fetchedSHA256: OpaquePointer = EVP_MD_fetch(nil, "SHA256", nil) ?? EVP_sha256()
        nonisolated(unsafe) private static let fetchedSHA1: OpaquePointer = EVP_MD_fetch(nil, "SHA1", nil) ?? EVP_sha1()
        nonisolated(unsafe) private static let fetchedMD5: OpaquePointer = EVP_MD_fetch(nil, "MD5", nil) ?? EVP_md5()
    }

    private let context: OpaquePointer
    private let algorithm: Algorithm

    public init(_ algorithm: Algorithm) {
        guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, algorithm.evp, nil) == 1 else {
            fatalError("OpenSSL could not initialise a message digest context: out of memory")
        }
        self.context = context
        self.algorithm = algorithm
    }

    /// Starts over on the same context, finalized or not: cheaper than a new digest (no allocation,
    /// no set-up of OpenSSL's context), for a worker hashing object after object.
    public func reset() {
        guard EVP_DigestInit_ex(context, algorithm.evp, nil) == 1 else {
            fatalError("OpenSSL could not initialise a message digest context: out of memory")
        }
    }

    deinit { EVP_MD_CTX_free(context) }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    public func update<Bytes: ContiguousBytes>(_ bytes: Bytes) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Finishes the digest; the object must not be updated afterwards.
    public func finalize() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: Int(EVP_MAX_MD_SIZE)) { out, count in
            var length: UInt32 = 0
            EVP_DigestFinal_ex(context, out.baseAddress, &length)
            count = Int(length)
        }
    }

    /// Finishes the digest and returns it as lower-case hex.
    public func finalizeHex() -> String { Hex.encode(finalize()) }
}

/// One-shot conveniences.
public enum Digests {
    public static func sha256<Bytes: ContiguousBytes>(_ bytes: Bytes) -> [UInt8] {
        let digest = MessageDigest(.sha256)
        digest.update(bytes)
        return digest.finalize()
    }

    public static func sha256Hex<Bytes: ContiguousBytes>(_ bytes: Bytes) -> String { Hex.encode(sha256(bytes)) }

    /// Appends the lower-case hex SHA-256 of `bytes` to `out`, with no digest object and no intermediate
    /// array: SigV4 hashes a canonical request into its string to sign for every request.
    public static func appendSHA256Hex(of bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Int(EVP_MAX_MD_SIZE)) { digest in
            var length: UInt32 = 0
            guard EVP_Digest(bytes.baseAddress, bytes.count, digest.baseAddress, &length, MessageDigest.Algorithm.sha256.evp, nil) == 1 else {
                fatalError("OpenSSL could not compute a SHA-256: out of memory")
            }
            Hex.append(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(digest)[..<Int(length)]), to: &out)
        }
    }

    public static func md5Hex<Bytes: ContiguousBytes>(_ bytes: Bytes) -> String {
        let digest = MessageDigest(.md5)
        digest.update(bytes)
        return digest.finalizeHex()
    }
}
