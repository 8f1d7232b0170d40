import TrailWardenHTTP

/// Credentials of the EC2 instance's IAM role, from the instance metadata
/// service: an IMDSv2 session token from `PUT /latest/api/token`, then the
/// role name and its credentials.
///
/// As in the CLI, IMDSv1 (no token) is used only where the CLI falls back to
/// it: when the token request is refused with 403, 404 or 405 or gets no answer,
/// and never when `AWS_EC2_METADATA_V1_DISABLED` (`ec2_metadata_v1_disabled`)
/// is true. Off EC2 the address does not answer, so each request is bounded
/// by `AWS_METADATA_SERVICE_TIMEOUT` (default 1 s) over
/// `AWS_METADATA_SERVICE_NUM_ATTEMPTS` (default 1), and any failure means "no
/// credentials here" rather than an error. `AWS_EC2_METADATA_DISABLED=true`
/// turns the provider off; the endpoint is `AWS_EC2_METADATA_SERVICE_ENDPOINT`,
/// else the profile's `ec2_metadata_service_endpoint`, else the IPv4 or IPv6
/// address that `…_ENDPOINT_MODE` (`ec2_metadata_service_endpoint_mode`) picks.
public struct InstanceMetadataCredentialProvider: CredentialProvider {
    public let context: CredentialContext
    public var name: String { "iam-role" }

    public static let tokenTTLSeconds = 21_600
    public static let defaultIPv6Endpoint = "http://[fd00:ec2::254]"

    public init(context: CredentialContext) { self.context = context }

    public func credentials() async throws -> AWSCredentials {
        if context.variable("AWS_EC2_METADATA_DISABLED")?.lowercased() == "true" {
            throw unavailable("AWS_EC2_METADATA_DISABLED is true")
        }
        let settings = try SharedConfig.activeSettings(nil, context: context, provider: name)
        let base = AWSEndpoints.baseURL(try endpoint(settings))
        let timeout = context.variable("AWS_METADATA_SERVICE_TIMEOUT").flatMap(Double.init) ?? 1
        let attempts = context.variable("AWS_METADATA_SERVICE_NUM_ATTEMPTS").flatMap(Int.init) ?? 1
        let fetch = MetadataFetch(http: context.http, timeout: .milliseconds(Int(timeout * 1000)), attempts: attempts)
        let v1Disabled = (context.variable("AWS_EC2_METADATA_V1_DISABLED") ?? settings.nonEmpty("ec2_metadata_v1_disabled"))?
            .lowercased() == "true"
        do {
            var authorized = [(name: String, value: String)]()
            if let token = try await sessionToken(base, fetch: fetch) {
                authorized = [(name: "X-aws-ec2-metadata-token", value: token)]
            } else if v1Disabled {
                throw unavailable("IMDSv2 gave no token and IMDSv1 is disabled (AWS_EC2_METADATA_V1_DISABLED)")
            }
            let rolesURL = base + "/latest/meta-data/iam/security-credentials/"
            let roles = try await fetch.send(HTTPRequest(method: "GET", url: rolesURL, headers: authorized))
            guard roles.status == 200,
                  let role = String(decoding: roles.body, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init)?
                      .trimmingWhitespace(), !role.isEmpty
            else { throw unavailable("no IAM role is attached to this instance (HTTP \(roles.status))") }
            let answer = try await fetch.send(HTTPRequest(method: "GET", url: rolesURL + PercentEncoding.encode(role), headers: authorized))
            guard answer.status == 200 else { throw unavailable("credentials of role \(role) answered HTTP \(answer.status)") }
            let source = "instance metadata for role \(role)"
            let document = try CredentialDocument.decode(answer.body, provider: name, source: source)
            guard document.code == nil || document.code == "Success" else {
                throw unavailable("\(source) reported \(document.code ?? ""): \(document.message ?? "")")
            }
            return try document.credentials(provider: name, source: source, requireExpiration: true)
        } catch let error as CredentialError {
            throw CredentialError(.notConfigured, provider: name, error.message)
        } catch {
            throw unavailable("instance metadata service at \(base) unavailable: \(error)")
        }
    }

    /// The IMDSv2 token; nil where the CLI falls back to IMDSv1 (403, 404, 405, no answer in time or a failed connection).
    private func sessionToken(_ base: String, fetch: MetadataFetch) async throws -> String? {
        let response: HTTPResponse
        do {
            response = try await fetch.send(HTTPRequest(method: "PUT", url: base + "/latest/api/token",
                                                        headers: [("X-aws-ec2-metadata-token-ttl-seconds", String(Self.tokenTTLSeconds))]))
        } catch is MetadataTimeout {
            return nil
        } catch let error as HTTPError where error.isTransient {
            return nil
        }
        if [403, 404, 405].contains(response.status) { return nil }
        guard response.status == 200, !response.body.isEmpty else { throw unavailable("IMDSv2 token request answered HTTP \(response.status)") }
        return String(decoding: response.body, as: UTF8.self)
    }

    private func endpoint(_ settings: SharedConfig.Profile) throws -> String {
        if let explicit = context.instanceMetadataEndpoint ?? context.variable("AWS_EC2_METADATA_SERVICE_ENDPOINT")
            ?? settings.nonEmpty("ec2_metadata_service_endpoint") {
            return explicit
        }
        switch (context.variable("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE") ?? settings.nonEmpty("ec2_metadata_service_endpoint_mode"))?.lowercased() {
        case nil, "ipv4": return CredentialContext.defaultInstanceMetadataEndpoint
        case "ipv6": return Self.defaultIPv6Endpoint
        case let mode?:
            throw CredentialError(.invalidConfiguration, provider: name, "ec2_metadata_service_endpoint_mode must be IPv4 or IPv6, not \(mode)")
        }
    }

    private func unavailable(_ message: String) -> CredentialError {
        CredentialError(.notConfigured, provider: name, message)
    }
}
