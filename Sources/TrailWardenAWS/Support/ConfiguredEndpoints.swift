/// The endpoints a user configured, resolved per service as the AWS CLI does:
///
/// 1. an explicit endpoint (`--endpoint-url`);
/// 2. nothing else when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the
///    profile's `ignore_configured_endpoint_urls`) is true;
/// 3. `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`;
/// 4. the profile's `services` section (`s3 =` / `  endpoint_url = …`),
///    then its `endpoint_url`;
/// 5. otherwise the service's public regional endpoint.
///
/// This is what sends S3 reads to a VPC endpoint and every call to an emulator.
public struct ConfiguredEndpoints: Sendable, Equatable {
    public var explicit: String?
    public var ignoreConfigured: Bool
    /// `AWS_ENDPOINT_URL_<KEY>` values by lower-case key (`s3`, `sso_oidc`).
    public var environmentServices: [String: String]
    public var environmentGlobal: String?
    /// The profile's `services` section: endpoint by lower-case key.
    public var profileServices: [String: String]
    public var profileGlobal: String?

    public init(explicit: String? = nil, ignoreConfigured: Bool = false, environmentServices: [String: String] = [:],
                environmentGlobal: String? = nil, profileServices: [String: String] = [:], profileGlobal: String? = nil) {
        self.explicit = explicit
        self.ignoreConfigured = ignoreConfigured
        self.environmentServices = environmentServices
        self.environmentGlobal = environmentGlobal
        self.profileServices = profileServices
        self.profileGlobal = profileGlobal
    }

    /// Only `explicit`: how the transport was configured before service endpoints existed.
    public static func only(_ explicit: String?) -> ConfiguredEndpoints {
        ConfiguredEndpoints(explicit: explicit.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// The configured base URL for `service` (an endpoint prefix such as `s3`,
    /// `monitoring` or `events`), or nil for the public endpoint.
    public func override(for service: String) -> String? {
        if let explicit { return explicit }
        if ignoreConfigured { return nil }
        let key = Self.configurationKey(forService: service)
        return environmentServices[key] ?? environmentGlobal ?? profileServices[key] ?? profileGlobal
    }

    /// The service's key in `AWS_ENDPOINT_URL_<KEY>` and the services section:
    /// its service id in snake case, which differs from the endpoint prefix for a few.
    public static func configurationKey(forService service: String) -> String {
        switch service {
        case "monitoring": return "cloudwatch"
        case "events": return "eventbridge"
        case "portal.sso": return "sso"
        case "oidc": return "sso_oidc"
        default: return service.lowercased().replacingOccurrences(of: "-", with: "_")
        }
    }

    /// Reads the environment and the profile's settings (`endpoint_url`,
    /// `services`, `ignore_configured_endpoint_urls`) with the sections of `servicesSections`.
    static func resolve(explicit: String?, environment: [String: String], profile: SharedConfig.Profile,
                        servicesSections: [String: SharedConfig.Profile]) -> ConfiguredEndpoints {
        var endpoints = ConfiguredEndpoints.only(explicit)
        let ignore = environment.nonEmpty("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") ?? profile.nonEmpty("ignore_configured_endpoint_urls")
        endpoints.ignoreConfigured = ignore?.lowercased() == "true"
        let prefix = "AWS_ENDPOINT_URL_"
        for (name, value) in environment where name.hasPrefix(prefix) && !value.isEmpty {
            endpoints.environmentServices[name.dropFirst(prefix.count).lowercased()] = value
        }
        endpoints.environmentGlobal = environment.nonEmpty("AWS_ENDPOINT_URL")
        endpoints.profileGlobal = profile.nonEmpty("endpoint_url")
        if let sectionName = profile.nonEmpty("services"), let section = servicesSections[sectionName] {
            for (service, nested) in section {
                if let url = SharedConfig.nested(nested).nonEmpty("endpoint_url") { endpoints.profileServices[service] = url }
            }
        }
        return endpoints
    }
}
