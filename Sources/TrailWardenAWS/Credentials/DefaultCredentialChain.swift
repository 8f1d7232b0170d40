/// The AWS CLI's credential resolution, so TrailWarden runs wherever `aws` does:
///
/// 1. environment variables (`env`), unless `--profile` named a profile;
/// 2. a role profile: `role_arn` with `source_profile` or `credential_source` (`assume-role`);
/// 3. web identity from `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN`, or
///    the profile's `web_identity_token_file` and `role_arn` (`assume-role-with-web-identity`);
/// 4. IAM Identity Center: an SSO profile and the `aws sso login` token cache (`sso`);
/// 5. the profile's own keys or `credential_process` (`profile`);
/// 6. the container credentials endpoint (`container-role`);
/// 7. EC2 instance metadata (`iam-role`).
///
/// The profile is `--profile`, `AWS_PROFILE`, else `default`. The answer is
/// cached and renewed five minutes before it expires, one renewal at a time.
public struct DefaultCredentialChain: CredentialProvider {
    private let cache: RefreshingCredentialProvider
    public var name: String { "default-chain" }

    public init(context: CredentialContext) {
        let environment: [any CredentialProvider] = context.environmentCredentialsAllowed
            ? [EnvironmentCredentialProvider(environment: context.environment)] : []
        let chain = CredentialChain(environment + [
            AssumeRoleProfileProvider(context: context),
            WebIdentityCredentialProvider(context: context),
            SSOCredentialProvider(context: context),
            ProfileCredentialProvider(context: context),
            ContainerCredentialProvider(context: context),
            InstanceMetadataCredentialProvider(context: context),
        ], log: context.log)
        cache = RefreshingCredentialProvider(chain, clock: context.clock, log: context.log)
    }

    public func credentials() async throws -> AWSCredentials { try await cache.credentials() }
}
