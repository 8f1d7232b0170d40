import Foundation
import TrailWardenCrypto
import TrailWardenVocabulary

/// The IAM Identity Center token cache that `aws sso login` writes, so a
/// signed-in laptop needs no second login: `~/.aws/sso/cache/<name>.json`,
/// the name being the SHA-1 (hex) of the sso-session's name, or of the start
/// URL for a legacy profile, as the CLI names it.
///
/// Refreshed tokens are written back the way the CLI writes them (owner-only,
/// replaced atomically), so both tools keep sharing one session.
struct SSOTokenCache: Sendable {
    let context: CredentialContext

    /// The cache file's name for `sessionName`, else `startURL`.
    static func fileName(sessionName: String?, startURL: String) -> String {
        let digest = MessageDigest(.sha1)
        digest.update(Array((sessionName ?? startURL).utf8))
        return digest.finalizeHex() + ".json"
    }

    func path(sessionName: String?, startURL: String) -> String {
        context.expandingTilde("~/.aws/sso/cache/") + Self.fileName(sessionName: sessionName, startURL: startURL)
    }

    /// The cached token; nil when there is no cache file (never signed in).
    func load(sessionName: String?, startURL: String, provider: String) throws -> SSOCachedToken? {
        let path = path(sessionName: sessionName, startURL: startURL)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CredentialError(.retrievalFailed, provider: provider, "the SSO token cache \(path) is not a JSON object")
        }
        let fields = object.compactMapValues { $0 as? String }
        guard let accessToken = fields.nonEmpty("accessToken"), let expiresAt = fields.nonEmpty("expiresAt"),
              let expiration = SSOCachedToken.parseTime(expiresAt) else {
            throw CredentialError(.retrievalFailed, provider: provider, "the SSO token cache \(path) lacks accessToken or expiresAt")
        }
        return SSOCachedToken(fields: fields, accessToken: accessToken, expiration: expiration)
    }

    /// Replaces the cache file with `token`, readable by the owner only.
    func save(_ token: SSOCachedToken, sessionName: String?, startURL: String) throws {
        let path = path(sessionName: sessionName, startURL: startURL)
        let data = try JSONSerialization.data(withJSONObject: token.fields, options: [.sortedKeys])
        let temporary = path + ".trailwarden-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]),
              rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw CredentialError(.retrievalFailed, provider: "sso", "cannot write the SSO token cache \(path)")
        }
    }
}

/// One cached access token with the client registration that can refresh it.
struct SSOCachedToken: Sendable {
    /// Every string field of the cache file, kept so a rewrite loses nothing.
    var fields: [String: String]
    var accessToken: String
    var expiration: Date

    var refreshToken: String? { fields.nonEmpty("refreshToken") }
    var clientID: String? { fields.nonEmpty("clientId") }
    var clientSecret: String? { fields.nonEmpty("clientSecret") }
    var registrationExpiration: Date? { fields.nonEmpty("registrationExpiresAt").flatMap(Self.parseTime) }

    /// The token after an SSO-OIDC CreateToken answer.
    func refreshed(accessToken: String, expiresIn: Int, refreshToken: String?, now: Date) -> SSOCachedToken {
        var token = self
        token.accessToken = accessToken
        token.expiration = now.addingTimeInterval(TimeInterval(expiresIn))
        token.fields["accessToken"] = accessToken
        token.fields["expiresAt"] = CloudTrailTime.display(token.expiration)
        if let refreshToken { token.fields["refreshToken"] = refreshToken }
        return token
    }

    /// ISO 8601 as the CLI writes it (`2026-01-15T10:00:00Z`), also with the older `UTC` suffix.
    static func parseTime(_ text: String) -> Date? {
        CloudTrailTime.parseTimestamp(text.hasSuffix("UTC") ? String(text.dropLast(3)) + "Z" : text)
    }
}
