/// The active profile's settings beyond credentials (region, endpoints,
/// retries, CA bundle), with the environment variables that override them,
/// read once when a session starts so that every client of a run agrees.
public struct AWSProfileSettings: Sendable {
    /// The profile read: `--profile`, `AWS_PROFILE`, else `default`.
    public let profileName: String
    /// `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region`; nil when none is set.
    public let region: String?
    /// `AWS_CA_BUNDLE`, then the profile's `ca_bundle`: the CAs to trust instead of the system's.
    public let caBundle: String?
    public let endpoints: ConfiguredEndpoints
    public let retry: RetryPolicy

    /// Reads the shared files for `context`'s profile. A profile named on the
    /// command line or in `AWS_PROFILE` must exist; a missing `default` is empty.
    public static func load(_ context: CredentialContext, explicitEndpoint: String?) throws -> AWSProfileSettings {
        let config = try SharedConfig.load(context, provider: "config")
        let (name, explicit) = context.profile
        let profile = config.profile(name) ?? [:]
        if explicit && config.profile(name) == nil {
            throw CredentialError(.invalidConfiguration, provider: "config", "the config profile (\(name)) could not be found")
        }
        let caBundle = context.variable("AWS_CA_BUNDLE") ?? profile.nonEmpty("ca_bundle")
        return AWSProfileSettings(profileName: name, region: context.region(profileRegion: profile.nonEmpty("region")),
                                  caBundle: caBundle.map(context.expandingTilde),
                                  endpoints: .resolve(explicit: explicitEndpoint, environment: context.environment, profile: profile,
                                                      servicesSections: config.services),
                                  retry: try RetryPolicy.configured(environment: context.environment, profile: profile))
    }
}
