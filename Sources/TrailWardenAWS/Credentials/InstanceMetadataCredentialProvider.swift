import TrailWardenHTTP

/// Credentials of the EC2 instance's IAM role, from the instance metadata
/// service with IMDSv2: a session token from `PUT /latest/api/token`, then
/// the role name and its credentials.
///
/// Only IMDSv2 is used: IMDSv1 is what SSRF attacks abuse, and AWS
/// recommends requiring v2. Off EC2 the address does not answer, so each
/// request is bounded by `AWS_METADATA_SERVICE_TIMEOUT` (default 1 s) over
/// `AWS_METADATA_SERVICE_NUM_ATTEMPTS` (default 1), and, as in the CLI, any
/// failure means "no credentials here" rather than an error.
/// `AWS_EC2_METADATA_DISABLED=true` turns the provider off and
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT` moves it.
public struct InstanceMetadataCredentialProvider: CredentialProvider {
    public let context: CredentialContext
    public var name: String { "iam-role" }

    public static let tokenTTLSeconds = 21_600

    public init(context: CredentialContext) { self.context = context }

    public func credentials() async throws -> AWSCredentials {
        if context.variable("AWS_EC2_METADATA_DISABLED")?.lowercased() == "true" {
            throw unavailable("AWS_EC2_METADATA_DISABLED is true")
        }
        let base = AWSEndpoints.baseURL(context.instanceMetadataEndpoint ?? context.variable("AWS_EC2_METADATA_SERVICE_ENDPOINT")
            ?? CredentialContext.defaultInstanceMetadataEndpoint)
        let timeout = context.variable("AWS_METADATA_SERVICE_TIMEOUT").flatMap(Double.init) ?? 1
        let attempts = context.variable("AWS_METADATA_SERVICE_NUM_ATTEMPTS").flatMap(Int.init) ?? 1
        let fetch = MetadataFetch(http: context.http, timeout: .milliseconds(Int(timeout * 1000)), attempts: attempts)
        do {
            let token = try await fetch.send(HTTPRequest(method: "PUT", url: base + "/latest/api/token",
                                                         headers: [("X-aws-ec2-metadata-token-ttl-seconds", String(Self.tokenTTLSeconds))]))
            guard token.status == 200, !token.body.isEmpty else { throw unavailable("IMDSv2 token request answered HTTP \(token.status)") }
            let authorized = [(name: "X-aws-ec2-metadata-token", value: String(decoding: token.body, as: UTF8.self))]
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

    private func unavailable(_ message: String) -> CredentialError {
        CredentialError(.notConfigured, provider: name, message)
    }
}
