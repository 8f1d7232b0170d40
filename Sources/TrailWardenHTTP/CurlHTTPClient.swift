import TrailWardenVocabulary

/// The production `HTTPClient`: libcurl's multi interface on an event-loop thread per core.
///
/// Exists because TrailWarden reads tens of thousands of S3 objects: it keeps
/// connections alive between requests, streams bodies in constant memory,
/// and caps the requests in flight with one limit shared by every caller of
/// the instance (callers beyond it wait without blocking a thread).
/// Create one instance and share it.
public final class CurlHTTPClient: HTTPClient {
    /// Limits and trust settings for a client; the defaults suit S3.
    public struct Configuration: Sendable {
        /// Requests in flight at once across all callers.
        public var maxConcurrentRequests: Int
        public var connectTimeout: Duration
        /// A transfer during which nothing is sent or received for this long fails with `.timedOut`.
        public var idleTimeout: Duration
        /// The longest a whole request may take; nil for no limit.
        public var totalTimeout: Duration?
        /// PEM file of trusted CA certificates; nil for the system's. Verification is always on.
        public var caBundlePath: String?
        /// Sent as `User-Agent` unless the request has one.
        public var userAgent: String
        /// The proxy for `http://` URLs. curl itself reads `https_proxy`/`HTTPS_PROXY`, `no_proxy`/`NO_PROXY`
        /// and the lower-case `http_proxy` only; the AWS CLI also honours `HTTP_PROXY`, which goes here.
        public var httpProxy: String?

        public init(maxConcurrentRequests: Int = 64, connectTimeout: Duration = .seconds(10),
                    idleTimeout: Duration = .seconds(30), totalTimeout: Duration? = nil,
                    caBundlePath: String? = nil, userAgent: String = "trailwarden", httpProxy: String? = nil) {
            self.maxConcurrentRequests = maxConcurrentRequests
            self.connectTimeout = connectTimeout
            self.idleTimeout = idleTimeout
            self.totalTimeout = totalTimeout
            self.caBundlePath = caBundlePath
            self.userAgent = userAgent
            self.httpProxy = httpProxy
        }

        /// `HTTP_PROXY` when the lower-case `http_proxy`, which curl reads itself, is not set.
        public static func upperCaseHTTPProxy(in environment: [String: String]) -> String? {
            guard environment["http_proxy"]?.isEmpty ?? true, let proxy = environment["HTTP_PROXY"], !proxy.isEmpty else { return nil }
            return proxy
        }
    }

    public let configuration: Configuration
    private let pool: TransferPool

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        pool = TransferPool(capacity: max(1, configuration.maxConcurrentRequests))
    }

    deinit {
        pool.shutDown()
    }

    public func send<Consumer: BodyConsumer>(_ request: HTTPRequest, streamingInto consumer: inout Consumer) async throws -> HTTPResponse {
        let target = try request.validated()
        let box = ConsumerBox(consumer)
        defer { consumer = box.consumer }
        let transfer = Transfer(request: request, target: target, configuration: configuration,
                                begin: { try box.consumer.begin(headers: $0) }, consume: { try box.consumer.consume($0) })
        return try await pool.run(transfer)
    }
}

/// Carries the caller's consumer to the loop thread and back.
///
/// `@unchecked Sendable`: the caller touches it only before submitting the
/// transfer and after the transfer's continuation resumed; the loop only in
/// between, while the caller is suspended. The loop's lock and the
/// continuation order those accesses.
private final class ConsumerBox<Consumer: BodyConsumer>: @unchecked Sendable {
    var consumer: Consumer

    init(_ consumer: Consumer) {
        self.consumer = consumer
    }
}
