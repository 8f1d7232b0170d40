/// Credentials a profile holds directly: access keys in the credentials
/// file, then `credential_process`, then access keys in the config file,
/// which is the order the CLI's shared-credentials-file, custom-process and
/// config-file providers take. Profiles that assume a role are the business
/// of `AssumeRoleProfileProvider`, which comes earlier in the chain.
public struct ProfileCredentialProvider: CredentialProvider {
    public let context: CredentialContext
    /// The profile to read; nil for the one `AWS_PROFILE` names, or `default`.
    public let profile: String?
    public var name: String { "profile" }

    public init(context: CredentialContext, profile: String? = nil) {
        self.context = context
        self.profile = profile
    }

    public func credentials() async throws -> AWSCredentials {
        let (config, profileName, merged) = try SharedConfig.activeProfile(profile, context: context, provider: name)
        guard let credentials = try await credentials(from: config, profile: profileName, merged: merged) else {
            throw CredentialError(.notConfigured, provider: name, "profile \(profileName) has no credentials")
        }
        return credentials
    }

    /// The profile's own credentials, or nil when it has none of its own.
    func credentials(from config: SharedConfig, profile: String, merged: SharedConfig.Profile) async throws -> AWSCredentials? {
        if let keys = try config.credentialsFile[profile]?.accessKey(provider: name, profile: profile) { return keys }
        if let command = merged.nonEmpty("credential_process") {
            return try await ProcessCredentialProvider(command: command, environment: context.environment).credentials()
        }
        return try config.configFile[profile]?.accessKey(provider: name, profile: profile)
    }
}
