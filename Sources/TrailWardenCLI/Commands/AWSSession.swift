import Foundation
import TrailWardenAWS
import TrailWardenCore
import TrailWardenHTTP

/// How a command reaches AWS: one HTTP client (one connection pool, one cap on
/// requests in flight), the AWS CLI's credential chain, and the endpoint
/// override the AWS CLI honours (`--endpoint-url`, then AWS_ENDPOINT_URL).
struct AWSSession: Sendable {
    let transport: AWSTransport
    /// The region for calls that name none: AWS_REGION, then AWS_DEFAULT_REGION, then the fallback.
    let region: String

    static let maxRequestsOption = OptionSpec.single("max-requests", "N", "AWS requests in flight at once (default: 64).")
    static let endpointOption = OptionSpec.single("endpoint-url", "URL", "Send every AWS call to this endpoint (default: AWS_ENDPOINT_URL).")

    init(_ arguments: ParsedArguments, fallbackRegion: String, defaultMaxRequests: Int = 64,
         environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let maxRequests = try arguments.integer("max-requests", default: defaultMaxRequests, range: 1...1024)
        let source = arguments.has("endpoint-url") ? "--endpoint-url" : "AWS_ENDPOINT_URL"
        let endpoint = (arguments.value("endpoint-url") ?? environment["AWS_ENDPOINT_URL"]).flatMap { $0.isEmpty ? nil : $0 }
        if let endpoint, !(endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://")) {
            throw UsageError("\(source) must be an http:// or https:// URL, not \"\(endpoint)\"")
        }
        region = environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? fallbackRegion
        // TRAILWARDEN_HTTP_IDLE_TIMEOUT (seconds, default 30): how long a transfer may receive nothing.
        let idle = try Self.seconds(environment["TRAILWARDEN_HTTP_IDLE_TIMEOUT"], name: "TRAILWARDEN_HTTP_IDLE_TIMEOUT", default: 30)
        let http = CurlHTTPClient(configuration: .init(maxConcurrentRequests: maxRequests, idleTimeout: .seconds(idle)))
        let stsEndpoint = environment["AWS_ENDPOINT_URL_STS"].flatMap { $0.isEmpty ? nil : $0 } ?? endpoint
        let credentials = DefaultCredentialChain(context: CredentialContext(environment: environment, http: http, stsEndpoint: stsEndpoint))
        transport = AWSTransport(http: http, credentials: credentials, endpointOverride: endpoint)
    }

    private static func seconds(_ text: String?, name: String, default value: Int) throws(UsageError) -> Int {
        guard let text, !text.isEmpty else { return value }
        guard let seconds = Int(text), (1...3600).contains(seconds) else { throw UsageError("\(name) must be whole seconds from 1 to 3600, not \"\(text)\"") }
        return seconds
    }
}
