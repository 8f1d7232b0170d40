import Foundation
import TrailWardenCrypto

/// The SigV4 signing keys derived lately, by secret, day, region and service.
///
/// Exists because deriving a key takes four chained HMACs and every request of
/// a run shares the same one: a validation signs thousands of GetObject calls
/// with one key a day. Kept as `HMACKey`s, set up for signing once. Bounded: when it holds `capacity` keys it starts afresh,
/// so rotating credentials never make it grow.
///
/// `@unchecked Sendable`: `keys` is read and written only with `lock` held.
final class SigningKeyCache: @unchecked Sendable {
    static let shared = SigningKeyCache()
    static let capacity = 64

    private struct Scope: Hashable {
        let secret: String
        let day: String
        let region: String
        let service: String
    }

    private let lock = NSLock()
    private var keys: [Scope: HMACKey] = [:]

    /// `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request")`.
    func key(secret: String, day: String, region: String, service: String) -> HMACKey {
        let scope = Scope(secret: secret, day: day, region: region, service: service)
        if let key = lock.withLock({ keys[scope] }) { return key }
        var derived = HMAC.sha256(key: Array("AWS4\(secret)".utf8), message: day)
        for part in [region, service, "aws4_request"] { derived = HMAC.sha256(key: derived, message: part) }
        let key = HMACKey(derived)
        lock.withLock {
            if keys.count >= Self.capacity { keys.removeAll() }
            keys[scope] = key
        }
        return key
    }
}
