internal import CLibCrypto

/// Errors from loading keys; they never carry key material.
public enum RSAKeyError: Error, Equatable, CustomStringConvertible {
    /// The bytes are neither a PKCS#1 RSAPublicKey nor a SubjectPublicKeyInfo.
    case undecodablePublicKey
    /// The key decodes but is not an RSA key (for example EC).
    case notRSA
    /// The PEM text is not a private key OpenSSL can read.
    case undecodablePrivateKey

    public var description: String {
        switch self {
        case .undecodablePublicKey: return "not a DER RSA public key (PKCS#1 or SubjectPublicKeyInfo)"
        case .notRSA: return "not an RSA key"
        case .undecodablePrivateKey: return "not a PEM private key"
        }
    }
}

/// An RSA public key that verifies PKCS#1 v1.5 SHA-256 signatures
/// (CloudTrail's `SHA256withRSA`).
///
/// AWS documents the ListPublicKeys value as a PKCS#1 RSAPublicKey, but has
/// published SubjectPublicKeyInfo keys too, so both DER forms are accepted.
public final class RSAPublicKey: @unchecked Sendable {
    // The EVP_PKEY is immutable once loaded and OpenSSL allows concurrent
    // verification with one key, which is what makes sharing it safe.
    private let key: OpaquePointer

    public init(der: [UInt8]) throws(RSAKeyError) {
        guard let key = RSAPublicKey.decode(der) else { throw .undecodablePublicKey }
        guard EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA else {
            EVP_PKEY_free(key)
            throw .notRSA
        }
        self.key = key
    }

    deinit { EVP_PKEY_free(key) }

    private static func decode(_ der: [UInt8]) -> OpaquePointer? {
        der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            guard let base = buffer.baseAddress else { return nil }
            var cursor: UnsafePointer<UInt8>? = base
            if let key = d2i_PUBKEY(nil, &cursor, buffer.count), cursor == base + buffer.count {
                return key
            } else if cursor != base, let partial = d2i_PUBKEY(nil, &cursor, 0) {
                EVP_PKEY_free(partial)
            }
            ERR_clear_error()
            cursor = base
            if let key = d2i_PublicKey(EVP_PKEY_RSA, nil, &cursor, buffer.count) {
                if cursor == base + buffer.count { return key }
                EVP_PKEY_free(key)
            }
            ERR_clear_error()
            return nil
        }
    }

    /// True when `signature` is a valid SHA256withRSA signature of `message`.
    public func verify(signature: [UInt8], message: [UInt8]) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, key) == 1 else {
            ERR_clear_error()
            return false
        }
        let result = EVP_DigestVerify(context, signature, signature.count, message, message.count)
        ERR_clear_error()
        return result == 1
    }
}

/// An RSA private key, used only to sign simulated worlds.
public final class RSAPrivateKey: @unchecked Sendable {
    // Immutable after loading; OpenSSL signs concurrently with one key.
    private let key: OpaquePointer

    /// Loads a PEM private key (PKCS#1 or PKCS#8).
    public init(pem: String) throws(RSAKeyError) {
        let loaded: OpaquePointer? = pem.withCString { text in
            guard let bio = BIO_new_mem_buf(text, -1) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let key = loaded else {
            ERR_clear_error()
            throw .undecodablePrivateKey
        }
        guard EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA else {
            EVP_PKEY_free(key)
            throw .notRSA
        }
        self.key = key
    }

    deinit { EVP_PKEY_free(key) }

    /// The public half as PKCS#1 RSAPublicKey DER, the form ListPublicKeys returns.
    public var publicKeyPKCS1DER: [UInt8] {
        encode { i2d_PublicKey(key, $0) }
    }

    /// The public half as SubjectPublicKeyInfo DER.
    public var publicKeySPKIDER: [UInt8] {
        encode { i2d_PUBKEY(key, $0) }
    }

    private func encode(_ body: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32) -> [UInt8] {
        let length = body(nil)
        guard length > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: Int(length))
        out.withUnsafeMutableBufferPointer { buffer in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            _ = body(&cursor)
        }
        return out
    }

    /// A SHA256withRSA (PKCS#1 v1.5) signature of `message`.
    public func sign(_ message: [UInt8]) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { fatalError("OpenSSL: out of memory") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key) == 1 else {
            fatalError("OpenSSL refused to sign with a loaded RSA key")
        }
        var length = 0
        EVP_DigestSign(context, nil, &length, message, message.count)
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, message, message.count) == 1 else {
            fatalError("OpenSSL failed to sign with a loaded RSA key")
        }
        return Array(signature.prefix(length))
    }
}
