import Foundation

/// Credentials for a role in exchange for an OIDC token file (STS
/// AssumeRoleWithWebIdentity): how EKS service accounts (IRSA) and CI
/// systems' OIDC federation hand out roles.
///
/// As in the CLI, each setting comes from its environment variable
/// (`AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`, `AWS_ROLE_SESSION_NAME`),
/// else from the profile (`web_identity_token_file`, `role_arn`,
/// `role_session_name`); with `environmentAllowed` false (a profile named
/// by `--profile`, or a source profile) only the profile counts. The token
/// file is read on every call because the platform rotates it.
public struct WebIdentityCredentialProvider: CredentialProvider {
    public let context: CredentialContext
    /// The profile to read; nil for the active one.
    public let profile: String?
    public let environmentAllowed: Bool
    public var name: String { "assume-role-with-web-identity" }

    public init(context: CredentialContext, profile: String? = nil, environmentAllowed: Bool? = nil) {
        self.context = context
        self.profile = profile
        self.environmentAllowed = environmentAllowed ?? context.environmentCredentialsAllowed
    }

    public func credentials() async throws -> AWSCredentials {
        let settings = try SharedConfig.activeSettings(profile, context: context, provider: name)
        func setting(_ variable: String, _ key: String) -> String? {
            (environmentAllowed ? context.variable(variable) : nil) ?? settings.nonEmpty(key)
        }
        let tokenFile = setting("AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file")
        let roleARN = setting("AWS_ROLE_ARN", "role_arn")
        guard let tokenFile, let roleARN else {
            // A role ARN alone is a role profile's, unless AWS_ROLE_ARN asks for web identity.
            if tokenFile == nil && !(environmentAllowed && context.variable("AWS_ROLE_ARN") != nil) {
                throw CredentialError(.notConfigured, provider: name, "no web identity token file is configured")
            }
            throw CredentialError(.invalidConfiguration, provider: name,
                                  "a web identity token file (AWS_WEB_IDENTITY_TOKEN_FILE or web_identity_token_file) and a role ARN (AWS_ROLE_ARN or role_arn) must be set together")
        }
        let path = context.expandingTilde(tokenFile)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CredentialError(.retrievalFailed, provider: name, "cannot read the web identity token file \(path)")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingWhitespace()
        let sessionName = setting("AWS_ROLE_SESSION_NAME", "role_session_name")
            ?? AssumeRoleCredentialProvider.defaultSessionName(at: context.clock())
        return try await context.sts(profileRegion: settings.nonEmpty("region"))
            .assumeRoleWithWebIdentity(roleARN: roleARN, roleSessionName: sessionName, webIdentityToken: token)
            .credentials
    }
}
