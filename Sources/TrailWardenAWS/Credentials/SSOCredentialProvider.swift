import Foundation
import TrailWardenHTTP

/// Credentials of an IAM Identity Center (SSO) profile: the portal's
/// GetRoleCredentials for `sso_account_id` and `sso_role_name`, with the
/// access token `aws sso login` cached (`SSOTokenCache`).
///
/// Both profile forms work as in the CLI: `sso_session` naming an
/// `[sso-session NAME]` section with `sso_start_url` and `sso_region` (whose
/// token is refreshed through SSO-OIDC CreateToken once within 15 minutes of
/// expiry, when the cache holds a refresh token and a live client
/// registration), and the legacy form with those settings in the profile
/// (never refreshed). Without a usable token the error is one line telling
/// the user to run `aws sso login --profile NAME`. The portal and OIDC
/// endpoints honour `AWS_ENDPOINT_URL_SSO` and `AWS_ENDPOINT_URL_SSO_OIDC`.
public struct SSOCredentialProvider: CredentialProvider {
    public let context: CredentialContext
    /// The profile to read; nil for the one `--profile` or `AWS_PROFILE` names, or `default`.
    public let profile: String?
    public var name: String { "sso" }

    /// How long before expiry a refreshable token is refreshed, as in the CLI.
    static let refreshWindow: TimeInterval = 15 * 60

    public init(context: CredentialContext, profile: String? = nil) {
        self.context = context
        self.profile = profile
    }

    public func credentials() async throws -> AWSCredentials {
        let (config, profileName, settings) = try SharedConfig.activeProfile(profile, context: context, provider: name)
        guard let sso = try SSOSettings(profile: profileName, settings: settings, sessions: config.ssoSessions) else {
            throw CredentialError(.notConfigured, provider: name, "profile \(profileName) has no sso_account_id or sso_role_name")
        }
        let token = try await accessToken(sso)
        let portal = AWSEndpoints.url(service: "portal.sso", region: sso.region, configured: context.endpoints)
        let url = portal + "/federation/credentials?" + PercentEncoding.query([
            (name: "account_id", value: sso.accountID), (name: "role_name", value: sso.roleName),
        ])
        let response: HTTPResponse
        do {
            response = try await transport.send(HTTPRequest(method: "GET", url: url, headers: [("x-amz-sso_bearer_token", token)]),
                                                signingName: "awsssoportal", region: sso.region, limit: 64 << 10)
        } catch let error as AWSError where error.status == 401 || error.status == 403 {
            throw loginNeeded(sso, "the SSO portal refused the cached token (\(error.code))")
        } catch {
            throw CredentialError(.retrievalFailed, provider: name, "GetRoleCredentials for profile \(sso.profile): \(error)")
        }
        return try roleCredentials(response.body, profile: sso.profile)
    }

    /// A live access token: the cached one, refreshed first when it is near expiry and refreshable.
    private func accessToken(_ sso: SSOSettings) async throws -> String {
        let cache = SSOTokenCache(context: context)
        guard var token = try cache.load(sessionName: sso.sessionName, startURL: sso.startURL, provider: name) else {
            throw loginNeeded(sso, "no cached SSO token")
        }
        let now = context.clock()
        if sso.sessionName != nil, token.expiration.timeIntervalSince(now) < Self.refreshWindow {
            do {
                if let refreshed = try await refresh(token, sso: sso, now: now) {
                    try cache.save(refreshed, sessionName: sso.sessionName, startURL: sso.startURL)
                    token = refreshed
                }
            } catch {
                context.log?("sso: refreshing the token of sso-session \(sso.sessionName ?? "") failed: \(error)")
            }
        }
        guard token.expiration > now else { throw loginNeeded(sso, "the cached SSO token has expired") }
        return token.accessToken
    }

    /// SSO-OIDC CreateToken with the refresh token; nil when the cache cannot refresh.
    private func refresh(_ token: SSOCachedToken, sso: SSOSettings, now: Date) async throws -> SSOCachedToken? {
        guard let refreshToken = token.refreshToken, let clientID = token.clientID, let clientSecret = token.clientSecret,
              let registered = token.registrationExpiration, registered > now else { return nil }
        let body = try JSONSerialization.data(withJSONObject: [
            "grantType": "refresh_token", "clientId": clientID, "clientSecret": clientSecret, "refreshToken": refreshToken,
        ], options: [.sortedKeys])
        let url = AWSEndpoints.url(service: "oidc", region: sso.region, configured: context.endpoints) + "/token"
        let response = try await transport.send(HTTPRequest(method: "POST", url: url, headers: [("Content-Type", "application/json")],
                                                             body: [UInt8](body)),
                                                 signingName: "sso-oauth", region: sso.region, limit: 64 << 10)
        guard let answer = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
              let accessToken = answer["accessToken"] as? String, !accessToken.isEmpty,
              let expiresIn = answer["expiresIn"] as? Int, expiresIn > 0 else {
            throw CredentialError(.retrievalFailed, provider: name, "SSO-OIDC CreateToken answered without accessToken and expiresIn")
        }
        context.log?("sso: refreshed the token of sso-session \(sso.sessionName ?? "")")
        return token.refreshed(accessToken: accessToken, expiresIn: expiresIn, refreshToken: answer["refreshToken"] as? String, now: now)
    }

    private func roleCredentials(_ body: [UInt8], profile: String) throws -> AWSCredentials {
        guard let answer = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let role = answer["roleCredentials"] as? [String: Any],
              let accessKeyID = role["accessKeyId"] as? String, !accessKeyID.isEmpty,
              let secret = role["secretAccessKey"] as? String, !secret.isEmpty,
              let milliseconds = role["expiration"] as? Double else {
            throw CredentialError(.retrievalFailed, provider: name,
                                  "GetRoleCredentials for profile \(profile) answered without roleCredentials")
        }
        return AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secret, sessionToken: role["sessionToken"] as? String,
                              expiration: Date(timeIntervalSince1970: milliseconds / 1000))
    }

    /// Unsigned calls (the bearer token is the proof), retried like every other.
    private var transport: AWSTransport {
        AWSTransport(http: context.http, credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "", secretAccessKey: "")),
                     signsRequests: false, endpoints: context.endpoints, retry: context.retry, clock: context.clock,
                     sleep: AWSTransport.taskSleep)
    }

    private func loginNeeded(_ sso: SSOSettings, _ reason: String) -> CredentialError {
        CredentialError(.retrievalFailed, provider: name, "\(reason) for profile \(sso.profile); run aws sso login --profile \(sso.profile)")
    }
}
