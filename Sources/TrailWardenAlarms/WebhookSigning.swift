import Foundation
import TrailWardenCrypto

/// Signs webhook POSTs so a receiver can tell TrailWarden's from anyone's who
/// learned the URL (docs/config.md#webhook-signing has a receiver's check).
///
/// Each POST carries `X-TrailWarden-Timestamp` (Unix seconds, decimal) and
/// `X-TrailWarden-Signature: sha256=HEX`, HEX the lower-case hex HMAC-SHA256, under
/// the secret's bytes, of the timestamp's ASCII digits, one ".", then the exact
/// body bytes. The timestamp is in what is signed so a receiver can refuse replays.
/// The secret is read at every delivery, so a rotated secret file takes effect at
/// the next scan, and a missing one fails the delivery (never an unsigned POST).
public struct WebhookSigning: Sendable, Hashable {
    /// Where the secret is: never in the configuration itself.
    public enum SecretSource: Sendable, Hashable, CustomStringConvertible {
        /// An environment variable's value.
        case environment(String)
        /// A file's contents, without trailing line breaks and spaces.
        case file(String)

        public var description: String {
            switch self {
            case .environment(let name): return "secretEnv \(name)"
            case .file(let path): return "secretFile \(path)"
            }
        }
    }

    public let source: SecretSource

    public init(_ source: SecretSource) { self.source = source }

    public static let signatureHeader = "X-TrailWarden-Signature"
    public static let timestampHeader = "X-TrailWarden-Timestamp"

    /// The two headers for `body` sent at `date`.
    func headers(body: [UInt8], at date: Date) throws -> [(name: String, value: String)] {
        let timestamp = String(Int64(date.timeIntervalSince1970.rounded(.down)))
        return [(Self.timestampHeader, timestamp), (Self.signatureHeader, Self.signature(secret: try secret(), timestamp: timestamp, body: body))]
    }

    /// `sha256=` and the hex HMAC-SHA256 of `timestamp + "." + body` under `secret`.
    public static func signature(secret: [UInt8], timestamp: String, body: [UInt8]) -> String {
        "sha256=" + Hex.encode(HMAC.sha256(key: secret, message: Array(timestamp.utf8) + [UInt8(ascii: ".")] + body))
    }

    /// The secret's bytes; an error naming the variable or file (never the secret) otherwise.
    func secret() throws -> [UInt8] {
        let secret: [UInt8]
        switch source {
        case .environment(let name):
            guard let value = ProcessInfo.processInfo.environment[name] else { throw SecretError(reason: "\(source) is not set") }
            secret = Array(value.utf8)
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else { throw SecretError(reason: "\(source) cannot be read") }
            var bytes = [UInt8](data)
            while let last = bytes.last, [UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: " ")].contains(last) { bytes.removeLast() }
            secret = bytes
        }
        guard !secret.isEmpty else { throw SecretError(reason: "\(source) is empty") }
        return secret
    }

    struct SecretError: Error, CustomStringConvertible {
        var reason: String
        var description: String { "the signing secret's \(reason)" }
    }
}
