import Foundation
import TrailWardenHTTP

/// Everything the standard credential providers read from outside the
/// process: environment variables, the HTTP client and the endpoints it
/// talks to, and the clock.
///
/// Passing this in, instead of reading `ProcessInfo` and fixed addresses,
/// is what lets tests run every provider against temporary files and a fake
/// HTTP client, never a real metadata service.
public struct CredentialContext: Sendable {
    /// Environment variables; `HOME` locates `~/.aws`.
    public var environment: [String: String]
    public var http: any HTTPClient
    public var clock: WallClock
    /// STS base URL for credential calls; nil for what `endpoints` configures, else the regional endpoint.
    public var stsEndpoint: String?
    /// Prefix of `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (the ECS agent's address).
    public var containerEndpoint: String
    /// EC2 instance metadata base URL; nil for `AWS_EC2_METADATA_SERVICE_ENDPOINT`, then the link-local address.
    public var instanceMetadataEndpoint: String?
    public var log: CredentialLog?
    /// The profile given on the command line (`--profile`). Besides choosing the
    /// profile, it turns off credentials from environment variables, as in the CLI.
    public var explicitProfile: String?
    /// The region given on the command line (`--region`), which wins over the environment and the profile.
    public var explicitRegion: String?
    /// Endpoints for STS, SSO and SSO-OIDC; `stsEndpoint` still wins for STS.
    public var endpoints: ConfiguredEndpoints
    /// How STS calls are retried.
    public var retry: RetryPolicy

    public static let defaultContainerEndpoint = "http://169.254.170.2"
    public static let defaultInstanceMetadataEndpoint = "http://169.254.169.254"

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, http: any HTTPClient,
                clock: @escaping WallClock = { Date() }, stsEndpoint: String? = nil,
                containerEndpoint: String = CredentialContext.defaultContainerEndpoint,
                instanceMetadataEndpoint: String? = nil, log: CredentialLog? = nil, explicitProfile: String? = nil,
                explicitRegion: String? = nil, endpoints: ConfiguredEndpoints? = nil, retry: RetryPolicy = RetryPolicy()) {
        self.environment = environment
        self.http = http
        self.clock = clock
        self.stsEndpoint = stsEndpoint
        self.containerEndpoint = containerEndpoint
        self.instanceMetadataEndpoint = instanceMetadataEndpoint
        self.log = log
        self.explicitProfile = explicitProfile
        self.explicitRegion = explicitRegion
        self.endpoints = endpoints ?? ConfiguredEndpoints.resolve(explicit: nil, environment: environment, profile: [:], servicesSections: [:])
        self.retry = retry
    }

    /// A non-empty environment variable.
    func variable(_ name: String) -> String? { environment.nonEmpty(name) }

    /// The profile named by `--profile`, `AWS_PROFILE` (or the legacy `AWS_DEFAULT_PROFILE`), and whether it was named at all.
    var profile: (name: String, explicit: Bool) {
        if let name = explicitProfile ?? variable("AWS_PROFILE") ?? variable("AWS_DEFAULT_PROFILE") { return (name, true) }
        return ("default", false)
    }

    /// Whether environment-variable credentials count: not when `--profile` named a profile.
    var environmentCredentialsAllowed: Bool { explicitProfile == nil }

    /// The region the CLI would use: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region`.
    func region(profileRegion: String?) -> String? {
        explicitRegion ?? variable("AWS_REGION") ?? variable("AWS_DEFAULT_REGION") ?? profileRegion
    }

    /// An STS client for the region the CLI would use, else us-east-1.
    func sts(profileRegion: String? = nil) -> STSClient {
        STSClient(http: http, region: region(profileRegion: profileRegion) ?? "us-east-1",
                  endpoint: stsEndpoint ?? endpoints.override(for: "sts"), retry: retry, clock: clock)
    }

    /// Expands a leading `~` with `HOME`.
    func expandingTilde(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home = variable("HOME") else { return path }
        return home + path.dropFirst()
    }
}

extension [String: String] {
    /// The value for `key` unless it is missing or empty, as the CLI treats empty settings.
    func nonEmpty(_ key: String) -> String? {
        guard let value = self[key], !value.isEmpty else { return nil }
        return value
    }
}
