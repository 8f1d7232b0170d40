internal import CLibCrypto
import Foundation

/// HMAC-SHA256, the primitive of AWS Signature Version 4.
///
/// SigV4 derives its signing key through four chained HMACs and then signs
/// the string to sign, so a one-shot function over byte buffers is all it
/// needs; it uses OpenSSL's one-shot `HMAC()`, which (unlike the `HMAC_CTX`
/// functions) is not deprecated in OpenSSL 3.
public enum HMAC {
    /// The 32-byte HMAC-SHA256 of `message` under `key`.
    public static func sha256<Key: ContiguousBytes, Message: ContiguousBytes>(key: Key, message: Message) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { keyBytes in
            message.withUnsafeBytes { messageBytes in
                out.withUnsafeMutableBufferPointer { outBuffer in
                    CLibCrypto.HMAC(EVP_sha256(), keyBytes.baseAddress, Int32(keyBytes.count),
                                    messageBytes.bindMemory(to: UInt8.self).baseAddress, messageBytes.count,
                                    outBuffer.baseAddress, &length)
                }
            }
        }
        guard result != nil else { fatalError("OpenSSL could not compute an HMAC-SHA256: out of memory") }
        return Array(out.prefix(Int(length)))
    }

    /// HMAC-SHA256 of the UTF-8 bytes of `message`.
    public static func sha256<Key: ContiguousBytes>(key: Key, message: String) -> [UInt8] {
        sha256(key: key, message: Array(message.utf8))
    }
}
