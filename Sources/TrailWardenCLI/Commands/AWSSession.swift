import Foundation
import TrailWardenAWS
import TrailWardenCore
import TrailWardenHTTP

/// How a command reaches AWS: one HTTP client (one connection pool, one cap on
/// requests in flight), the AWS CLI's credential chain, and the AWS CLI's
/// configuration (profile, endpoints, retries, CA bundle, proxy), so that
/// whatever makes `aws` work makes TrailWarden work.
struct AWSSession: Sendable {
    let transport: AWSTransport
    /// The region for calls that name none: AWS_REGION, AWS_DEFAULT_REGION, the profile's, then the fallback.
    let region: String

    static let maxRequestsOption = OptionSpec.single("max-requests", "N", "AWS requests in flight at once (default: 64).")
    static let endpointOption = OptionSpec.single("endpoint-url", "URL", "Send every AWS call to this endpoint (default: AWS_ENDPOINT_URL).")
    /// The AWS CLI's global options that mean something here, in every command that calls AWS.
    static let globalOptions: [OptionSpec] = [
        .single("profile", "NAME", "The AWS CLI profile to use (default: AWS_PROFILE, else default); environment credentials are then ignored."),
        .flag("debug", "Log every AWS request and answer on standard error, with secrets, tokens and signatures redacted."),
        .flag("no-verify-ssl", "Refused: a verifier must verify TLS; trust a private CA with AWS_CA_BUNDLE or ca_bundle instead."),
    ]

    init(_ arguments: ParsedArguments, fallbackRegion: String, defaultMaxRequests: Int = 64,
         environment: [String: String] = ProcessInfo.processInfo.environment,
         debugLog: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }) throws {
        if arguments.has("no-verify-ssl") {
            throw UsageError("--no-verify-ssl is refused: without certificate checks anyone on the network path could serve forged logs and digests that would pass as valid; trust a private CA with AWS_CA_BUNDLE or the profile's ca_bundle instead")
        }
        let maxRequests = try arguments.integer("max-requests", default: defaultMaxRequests, range: 1...1024)
        let debug = arguments.has("debug") ? debugLog : nil
        var context = CredentialContext(environment: environment, http: CurlHTTPClient(), log: debug,
                                        explicitProfile: arguments.value("profile"))
        let settings: AWSProfileSettings
        do {
            settings = try AWSProfileSettings.load(context, explicitEndpoint: arguments.value("endpoint-url").flatMap { $0.isEmpty ? nil : $0 })
        } catch let error as CredentialError {
            throw UsageError(error.message)
        } catch {
            throw UsageError(String(describing: error))
        }
        try Self.checkEndpoints(settings.endpoints, profile: settings.profileName)
        if let bundle = settings.caBundle, !FileManager.default.isReadableFile(atPath: bundle) {
            let source = environment["AWS_CA_BUNDLE"].map { _ in "AWS_CA_BUNDLE" } ?? "ca_bundle of profile \(settings.profileName)"
            throw UsageError("\(source) names \(bundle), which cannot be read")
        }
        region = settings.region ?? fallbackRegion
        // TRAILWARDEN_HTTP_IDLE_TIMEOUT (seconds, default 30): how long a transfer may receive nothing.
        let idle = try Self.seconds(environment["TRAILWARDEN_HTTP_IDLE_TIMEOUT"], name: "TRAILWARDEN_HTTP_IDLE_TIMEOUT", default: 30)
        let curl = CurlHTTPClient(configuration: .init(maxConcurrentRequests: maxRequests, idleTimeout: .seconds(idle),
                                                       caBundlePath: settings.caBundle,
                                                       httpProxy: CurlHTTPClient.Configuration.upperCaseHTTPProxy(in: environment)))
        let http: any HTTPClient = debug.map { RequestLogHTTPClient(curl, log: $0) } ?? curl
        context.http = http
        context.endpoints = settings.endpoints
        // As before service endpoints: AWS_ENDPOINT_URL_STS moves the credential chain's STS calls even under --endpoint-url.
        context.stsEndpoint = settings.endpoints.ignoreConfigured ? nil : settings.endpoints.environmentServices["sts"]
        context.retry = settings.retry
        transport = AWSTransport(http: http, credentials: DefaultCredentialChain(context: context), endpoints: settings.endpoints,
                                 retry: settings.retry)
    }

    /// Every configured endpoint must be an http:// or https:// URL; the error names where it was set.
    private static func checkEndpoints(_ endpoints: ConfiguredEndpoints, profile: String) throws(UsageError) {
        var labelled = [("--endpoint-url", endpoints.explicit), ("AWS_ENDPOINT_URL", endpoints.environmentGlobal),
                        ("endpoint_url of profile \(profile)", endpoints.profileGlobal)]
        labelled += endpoints.environmentServices.sorted { $0.key < $1.key }.map { ("AWS_ENDPOINT_URL_\($0.key.uppercased())", $0.value) }
        labelled += endpoints.profileServices.sorted { $0.key < $1.key }.map { ("\($0.key) endpoint_url of profile \(profile)'s services", $0.value) }
        for case let (source, url?) in labelled where !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw UsageError("\(source) must be an http:// or https:// URL, not \"\(url)\"")
        }
    }

    private static func seconds(_ text: String?, name: String, default value: Int) throws(UsageError) -> Int {
        guard let text, !text.isEmpty else { return value }
        guard let seconds = Int(text), (1...3600).contains(seconds) else { throw UsageError("\(name) must be whole seconds from 1 to 3600, not \"\(text)\"") }
        return seconds
    }
}
