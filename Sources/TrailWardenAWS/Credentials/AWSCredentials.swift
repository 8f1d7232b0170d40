import Foundation
import TrailWardenVocabulary

/// An access key pair, with the session token and expiry of temporary credentials.
///
/// Credentials end up in error messages, logs and debugger output unless
/// something stops them, so every textual form of this type (description,
/// debug description and the mirror `dump` and the debugger use) shows only
/// the access key ID, which AWS treats as an identifier rather than a secret.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var accessKeyID: String
    public var secretAccessKey: String
    /// Present for temporary credentials (STS, SSO, instance and container roles).
    public var sessionToken: String?
    /// When temporary credentials stop working; nil for long-term keys.
    public var expiration: Date?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    private static let redacted = "<redacted>"

    public var description: String {
        var parts = ["accessKeyID: \(accessKeyID)", "secretAccessKey: \(Self.redacted)"]
        if sessionToken != nil { parts.append("sessionToken: \(Self.redacted)") }
        if let expiration { parts.append("expiration: \(CloudTrailTime.display(expiration))") }
        return "AWSCredentials(\(parts.joined(separator: ", ")))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: [
            "accessKeyID": accessKeyID,
            "secretAccessKey": Self.redacted,
            "sessionToken": sessionToken.map { _ in Self.redacted } as Any,
            "expiration": expiration as Any,
        ], displayStyle: .struct)
    }
}
