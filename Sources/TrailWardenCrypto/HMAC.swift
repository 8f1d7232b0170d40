internal import CLibCrypto
import Foundation

/// HMAC-SHA256, the primitive of AWS Signature Version 4.
///
/// SigV4 derives its signing key through four chained HMACs and then signs
/// the string to sign, so a one-shot function over byte buffers is all the
/// derivation needs; it uses OpenSSL's one-shot `HMAC()`, which (unlike the
/// `HMAC_CTX` functions) is not deprecated in OpenSSL 3. A key that signs
/// many messages is an `HMACKey`.
public enum HMAC {
    /// The 32-byte HMAC-SHA256 of `message` under `key`.
    public static func sha256<Key: ContiguousBytes, Message: ContiguousBytes>(key: Key, message: Message) -> [UInt8] {
        var length: UInt32 = 0
        let out = [UInt8](unsafeUninitializedCapacity: Int(EVP_MAX_MD_SIZE)) { outBuffer, count in
            let result = key.withUnsafeBytes { keyBytes in
                message.withUnsafeBytes { messageBytes in
                    CLibCrypto.HMAC(EVP_sha256(), keyBytes.baseAddress, Int32(keyBytes.count),
                                    messageBytes.bindMemory(to: UInt8.self).baseAddress, messageBytes.count,
                                    outBuffer.baseAddress, &length)
                }
            }
            guard result != nil else { fatalError("OpenSSL could not compute an HMAC-SHA256: out of memory") }
            count = Int(length)
        }
        return out
    }

    /// HMAC-SHA256 of the UTF-8 bytes of `message`.
    public static func sha256<Key: ContiguousBytes>(key: Key, message: String) -> [UInt8] {
        sha256(key: key, message: Array(message.utf8))
    }
}

/// An HMAC-SHA256 key set up once for many messages, as a SigV4 signing key signs every request of its day.
///
/// RFC 2104's own implementation note: the SHA-256 states after the padded key's inner and outer blocks
/// are computed once, and each message starts from copies of them. One-shot `HMAC()` instead looks the
/// algorithm and the digest up by name, builds a MAC context and hashes both padded keys for every message,
/// and duplicating a prepared `EVP_MAC_CTX` copies three digest contexts and the key: together more than
/// the message's own hashing.
///
/// `@unchecked Sendable`: `inner` and `outer` are never updated after `init`, and copying a digest context
/// only reads it.
public final class HMACKey: @unchecked Sendable {
    private let inner: OpaquePointer
    private let outer: OpaquePointer

    public init<Key: ContiguousBytes>(_ key: Key) {
        let blockSize = 64
        var block = key.withUnsafeBytes { $0.count > blockSize ? Digests.sha256($0) : Array($0.bindMemory(to: UInt8.self)) }
        block += [UInt8](repeating: 0, count: blockSize - block.count)
        inner = Self.digest(startingWith: block.map { $0 ^ 0x36 })
        outer = Self.digest(startingWith: block.map { $0 ^ 0x5c })
    }

    private static func digest(startingWith bytes: [UInt8]) -> OpaquePointer {
        guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, MessageDigest.Algorithm.sha256.evp, nil) == 1,
              EVP_DigestUpdate(context, bytes, bytes.count) == 1 else {
            fatalError("OpenSSL could not initialise a message digest context: out of memory")
        }
        return context
    }

    deinit {
        EVP_MD_CTX_free(inner)
        EVP_MD_CTX_free(outer)
    }

    /// The 32-byte HMAC-SHA256 of `message` under this key: `SHA256(outer ‖ SHA256(inner ‖ message))`.
    public func authenticate<Message: ContiguousBytes>(_ message: Message) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { fatalError("OpenSSL could not create a message digest context: out of memory") }
        defer { EVP_MD_CTX_free(context) }
        return [UInt8](unsafeUninitializedCapacity: Int(EVP_MAX_MD_SIZE)) { out, count in
            var length: UInt32 = 0
            let innerDone = message.withUnsafeBytes { bytes in
                EVP_MD_CTX_copy_ex(context, inner) == 1 && EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) == 1
                    && EVP_DigestFinal_ex(context, out.baseAddress, &length) == 1
            }
            guard innerDone, EVP_MD_CTX_copy_ex(context, outer) == 1, EVP_DigestUpdate(context, out.baseAddress, Int(length)) == 1,
                  EVP_DigestFinal_ex(context, out.baseAddress, &length) == 1 else {
                fatalError("OpenSSL could not compute an HMAC-SHA256: out of memory")
            }
            count = Int(length)
        }
    }
}
