import Foundation
import TrailWardenHTTP

/// Credentials from the container credentials endpoint: the ECS agent
/// (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`, under 169.254.170.2) or any
/// endpoint `AWS_CONTAINER_CREDENTIALS_FULL_URI` names, such as EKS Pod
/// Identity, with the token of `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`
/// (read on every call, since it rotates) or `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
///
/// A full URI must be HTTPS or point at a loopback or container-agent
/// address, as in the CLI, so a poisoned environment cannot send the
/// authorization token to an arbitrary host in clear text.
public struct ContainerCredentialProvider: CredentialProvider {
    public let context: CredentialContext
    public let timeout: Duration
    public let attempts: Int
    public var name: String { "container-role" }

    public init(context: CredentialContext, timeout: Duration = .seconds(2), attempts: Int = 3) {
        self.context = context
        self.timeout = timeout
        self.attempts = attempts
    }

    public func credentials() async throws -> AWSCredentials {
        let url: String
        if let relative = context.variable("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            url = context.containerEndpoint + relative
        } else if let full = context.variable("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            guard Self.isAllowedFullURI(full) else {
                throw CredentialError(.invalidConfiguration, provider: name,
                                      "AWS_CONTAINER_CREDENTIALS_FULL_URI must use https or a loopback or container-agent host: \(full)")
            }
            url = full
        } else {
            throw CredentialError(.notConfigured, provider: name, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI are not set")
        }
        var headers = [(name: "Accept", value: "application/json")]
        if let token = try authorizationToken() { headers.append((name: "Authorization", value: token)) }
        let response: HTTPResponse
        do {
            response = try await MetadataFetch(http: context.http, timeout: timeout, attempts: attempts)
                .send(HTTPRequest(method: "GET", url: url, headers: headers))
        } catch {
            throw CredentialError(.retrievalFailed, provider: name, "container credentials endpoint \(url): \(error)")
        }
        guard response.status == 200 else {
            throw CredentialError(.retrievalFailed, provider: name, "container credentials endpoint \(url): \(AWSError(response: response))")
        }
        let source = "container credentials endpoint \(url)"
        return try CredentialDocument.decode(response.body, provider: name, source: source)
            .credentials(provider: name, source: source, requireExpiration: true)
    }

    private func authorizationToken() throws -> String? {
        let token: String
        if let path = context.variable("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CredentialError(.retrievalFailed, provider: name, "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(path)")
            }
            token = String(decoding: data, as: UTF8.self)
        } else if let value = context.variable("AWS_CONTAINER_AUTHORIZATION_TOKEN") {
            token = value
        } else {
            return nil
        }
        guard !token.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) else {
            throw CredentialError(.invalidConfiguration, provider: name, "the container authorization token contains a line break")
        }
        return token
    }

    /// HTTPS anywhere; plain HTTP only to loopback and the ECS/EKS agent addresses.
    static func isAllowedFullURI(_ url: String) -> Bool {
        guard let parts = URLParts(url) else { return false }
        if parts.scheme == "https" { return true }
        guard parts.scheme == "http" else { return false }
        let host = parts.hostName
        if ["localhost", "169.254.170.2", "169.254.170.23", "[fd00:ec2::23]", "[::1]"].contains(host) { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
