/// Credentials for a profile that assumes a role: `role_arn` with either
/// `source_profile` (whose credentials, possibly themselves an assumed role,
/// call AssumeRole) or `credential_source` (`Environment`,
/// `Ec2InstanceMetadata` or `EcsContainer`); `external_id`,
/// `role_session_name` and `duration_seconds` are passed on.
///
/// This is how organizations usually grant access to a central log archive,
/// and it follows the CLI's rules: a role profile wins over the same
/// profile's own keys, except as its own source (`source_profile` naming
/// itself with keys), and any other loop of source profiles is an error.
/// Profiles needing MFA are refused, as there is no one to prompt. A source
/// profile may itself be a web identity, SSO, key or process profile.
public struct AssumeRoleProfileProvider: CredentialProvider {
    public let context: CredentialContext
    /// The profile to read; nil for the one `AWS_PROFILE` names, or `default`.
    public let profile: String?
    public var name: String { "assume-role" }

    public init(context: CredentialContext, profile: String? = nil) {
        self.context = context
        self.profile = profile
    }

    public func credentials() async throws -> AWSCredentials {
        let (config, profileName, active) = try SharedConfig.activeProfile(profile, context: context, provider: name)
        guard Self.assumesRole(active) else {
            throw CredentialError(.notConfigured, provider: name, "profile \(profileName) does not assume a role")
        }
        return try await roleProvider(config, profile: profileName, visited: [profileName], region: active.nonEmpty("region"))
            .credentials()
    }

    /// The provider that assumes `profile`'s role, its sources resolved recursively.
    private func roleProvider(_ config: SharedConfig, profile: String, visited: [String],
                              region: String?) throws -> AssumeRoleCredentialProvider {
        let settings = config.profile(profile) ?? [:]
        guard let roleARN = settings.nonEmpty("role_arn") else {
            throw invalid("profile \(profile) has no role_arn")
        }
        guard settings.nonEmpty("mfa_serial") == nil else {
            throw invalid("profile \(profile) requires MFA (mfa_serial), which cannot be prompted for")
        }
        let source: any CredentialProvider
        switch (settings.nonEmpty("source_profile"), settings.nonEmpty("credential_source")) {
        case (let sourceName?, nil):
            guard let sourceSettings = config.profile(sourceName) else {
                throw invalid("source_profile \(sourceName) of profile \(profile) could not be found")
            }
            let hasKeys = sourceSettings.nonEmpty("aws_access_key_id") != nil
            if visited.contains(sourceName) && !(sourceName == profile && hasKeys) {
                throw invalid("source_profile loop: \((visited + [sourceName]).joined(separator: " -> "))")
            }
            if hasKeys || !Self.assumesRole(sourceSettings) {
                source = Self.sourceProfileChain(context: context, profile: sourceName)
            } else {
                source = try roleProvider(config, profile: sourceName, visited: visited + [sourceName], region: region)
            }
        case (nil, let credentialSource?):
            switch credentialSource {
            case "Environment": source = EnvironmentCredentialProvider(environment: context.environment)
            case "Ec2InstanceMetadata": source = InstanceMetadataCredentialProvider(context: context)
            case "EcsContainer": source = ContainerCredentialProvider(context: context)
            default:
                throw invalid("credential_source \(credentialSource) of profile \(profile) is not Environment, Ec2InstanceMetadata or EcsContainer")
            }
        case (nil, nil):
            throw invalid("profile \(profile) has role_arn but neither source_profile nor credential_source")
        case (_?, _?):
            throw invalid("profile \(profile) has both source_profile and credential_source")
        }
        var duration: Int?
        if let text = settings.nonEmpty("duration_seconds") {
            guard let seconds = Int(text), seconds > 0 else { throw invalid("duration_seconds of profile \(profile) is not a number of seconds") }
            duration = seconds
        }
        return AssumeRoleCredentialProvider(source: source, sts: context.sts(profileRegion: region), roleARN: roleARN,
                                            roleSessionName: settings.nonEmpty("role_session_name"),
                                            externalID: settings.nonEmpty("external_id"), durationSeconds: duration,
                                            clock: context.clock)
    }

    /// A role profile, as the CLI tells one: `role_arn` without `web_identity_token_file`
    /// (with one, it is web identity's).
    static func assumesRole(_ settings: SharedConfig.Profile) -> Bool {
        settings.nonEmpty("role_arn") != nil && settings.nonEmpty("web_identity_token_file") == nil
    }

    /// What a source profile without a role of its own can hold: web identity, SSO, keys or a process.
    static func sourceProfileChain(context: CredentialContext, profile: String) -> CredentialChain {
        CredentialChain([
            WebIdentityCredentialProvider(context: context, profile: profile, environmentAllowed: false),
            SSOCredentialProvider(context: context, profile: profile),
            ProfileCredentialProvider(context: context, profile: profile),
        ])
    }

    private func invalid(_ message: String) -> CredentialError {
        CredentialError(.invalidConfiguration, provider: name, message)
    }
}
