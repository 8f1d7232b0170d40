/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
/// `AWS_SESSION_TOKEN` (or the legacy `AWS_SECURITY_TOKEN`), first in the
/// CLI's chain because they are the most deliberate choice a user can make.
public struct EnvironmentCredentialProvider: CredentialProvider {
    public let environment: [String: String]
    public var name: String { "env" }

    public init(environment: [String: String]) { self.environment = environment }

    public func credentials() async throws -> AWSCredentials {
        guard let accessKeyID = environment.nonEmpty("AWS_ACCESS_KEY_ID") else {
            throw CredentialError(.notConfigured, provider: name, "AWS_ACCESS_KEY_ID is not set")
        }
        guard let secret = environment.nonEmpty("AWS_SECRET_ACCESS_KEY") else {
            throw CredentialError(.invalidConfiguration, provider: name, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
        }
        return AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secret,
                              sessionToken: environment.nonEmpty("AWS_SESSION_TOKEN") ?? environment.nonEmpty("AWS_SECURITY_TOKEN"))
    }
}
