import Foundation

/// Credentials for `AWS_ROLE_ARN` in exchange for the OIDC token in
/// `AWS_WEB_IDENTITY_TOKEN_FILE` (STS AssumeRoleWithWebIdentity): how EKS
/// service accounts (IRSA) and CI systems' OIDC federation hand out roles.
///
/// The token file is read on every call because the platform rotates it.
/// `AWS_ROLE_SESSION_NAME` names the session.
public struct WebIdentityCredentialProvider: CredentialProvider {
    public let context: CredentialContext
    public var name: String { "assume-role-with-web-identity" }

    public init(context: CredentialContext) { self.context = context }

    public func credentials() async throws -> AWSCredentials {
        let tokenFile = context.variable("AWS_WEB_IDENTITY_TOKEN_FILE")
        let roleARN = context.variable("AWS_ROLE_ARN")
        guard let tokenFile, let roleARN else {
            if tokenFile == nil && roleARN == nil {
                throw CredentialError(.notConfigured, provider: name, "AWS_WEB_IDENTITY_TOKEN_FILE is not set")
            }
            throw CredentialError(.invalidConfiguration, provider: name,
                                  "AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN must be set together")
        }
        guard let data = FileManager.default.contents(atPath: tokenFile) else {
            throw CredentialError(.retrievalFailed, provider: name, "cannot read the web identity token file \(tokenFile)")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingWhitespace()
        let sessionName = context.variable("AWS_ROLE_SESSION_NAME") ?? AssumeRoleCredentialProvider.defaultSessionName(at: context.clock())
        return try await context.sts()
            .assumeRoleWithWebIdentity(roleARN: roleARN, roleSessionName: sessionName, webIdentityToken: token)
            .credentials
    }
}
