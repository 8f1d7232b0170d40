import TrailWardenHTTP
import TrailWardenVocabulary

/// `--debug`: an `HTTPClient` that writes one line per request and one per
/// answer to a log (standard error), for every AWS, STS, SSO and metadata call.
///
/// Nothing secret reaches the log: signatures, session and bearer tokens and
/// metadata tokens are replaced in headers and query strings, and no body
/// is written, since STS, SSO and credential answers carry secret keys and
/// CreateToken requests carry refresh tokens.
public struct RequestLogHTTPClient: HTTPClient {
    public let base: any HTTPClient
    public let log: @Sendable (String) -> Void

    public init(_ base: any HTTPClient, log: @escaping @Sendable (String) -> Void) {
        self.base = base
        self.log = log
    }

    /// Header names whose values are never logged, lower-cased.
    static let secretHeaders: Set<String> = [
        "authorization", "x-amz-security-token", "x-amz-sso_bearer_token", "x-aws-ec2-metadata-token",
        "x-amz-server-side-encryption-customer-key", "cookie", "set-cookie",
    ]
    /// Query parameters whose values are never logged, lower-cased.
    static let secretParameters: Set<String> = ["x-amz-signature", "x-amz-credential", "x-amz-security-token"]
    static let redacted = "<redacted>"

    public func send<Consumer: BodyConsumer>(_ request: HTTPRequest, streamingInto consumer: inout Consumer) async throws -> HTTPResponse {
        log("debug: request \(request.method) \(Self.redact(url: request.url)) headers: \(Self.redact(headers: request.headers))"
            + (request.body.isEmpty ? "" : " body: \(request.body.count) bytes"))
        do {
            let response = try await base.send(request, streamingInto: &consumer)
            log("debug: answer \(response.status) to \(request.method) \(Self.redact(url: request.url)) headers: \(Self.redact(headers: response.headers))")
            return response
        } catch {
            log("debug: failed \(request.method) \(Self.redact(url: request.url)): \(error)")
            throw error
        }
    }

    static func redact(headers: [(name: String, value: String)]) -> String {
        headers.map { "\($0.name): \(secretHeaders.contains($0.name.lowercased()) ? redacted : $0.value)" }.joined(separator: "; ")
    }

    static func redact(url: String) -> String {
        guard let question = url.firstIndex(of: "?") else { return url }
        let parameters = url[url.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false).map { pair in
            let name = pair.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            return secretParameters.contains(name.lowercased()) ? "\(name)=\(redacted)" : String(pair)
        }
        return url[...question] + parameters.joined(separator: "&")
    }
}
