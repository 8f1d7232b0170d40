import Foundation
import TrailWardenHTTP

/// An error answer from an AWS service, whatever protocol carried it.
///
/// Callers branch on `code` (`AccessDenied`, `NoSuchKey`, `ExpiredToken`...)
/// and report `message` and `requestID`, so one type serves the Query
/// protocol (STS), REST-XML (S3) and the JSON protocols (CloudTrail,
/// Organizations) alike: `init(response:)` recognises each error document.
public struct AWSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The service's error code; the HTTP status as text when the answer had no error document.
    public var code: String
    public var message: String
    /// AWS's request ID, which AWS support asks for.
    public var requestID: String?
    /// The HTTP status of the answer.
    public var status: Int
    /// Where S3 says the bucket lives (`x-amz-bucket-region`), on redirects and some errors.
    public var bucketRegion: String?
    /// Whether the answer carried an AWS error document (or `x-amzn-ErrorType`). One
    /// without (a proxy's or load balancer's HTML page) says nothing about the
    /// request: it is retried and never read as the service's verdict.
    public var isServiceAnswer = true

    public init(code: String, message: String, requestID: String? = nil, status: Int) {
        self.code = code
        self.message = message
        self.requestID = requestID
        self.status = status
    }

    /// Reads the error out of a failed response: a Query `<ErrorResponse>`, an
    /// S3 `<Error>`, an EC2 `<Response><Errors>`, a JSON `__type`/`message`
    /// document (with `x-amzn-ErrorType`), or, failing those, the bare status.
    public init(response: HTTPResponse) {
        self.init(parsing: response)
        bucketRegion = response.header("x-amz-bucket-region")
    }

    private init(parsing response: HTTPResponse) {
        let requestID = response.header("x-amzn-RequestId") ?? response.header("x-amz-request-id")
        let fallbackMessage = Self.reasonPhrases[response.status] ?? "HTTP status \(response.status)"
        if let tree = try? XMLTree.parse(response.body), let error = tree.first(named: "Error") {
            self.init(code: error.value("Code") ?? String(response.status),
                      message: error.value("Message") ?? fallbackMessage,
                      requestID: error.value("RequestId") ?? tree.value("RequestId") ?? tree.value("RequestID") ?? requestID,
                      status: response.status)
        } else if let json = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] {
            let type = response.header("x-amzn-ErrorType") ?? json["__type"] as? String ?? json["code"] as? String
                ?? json["Code"] as? String
            self.init(code: type.map(Self.sanitizedJSONErrorType) ?? String(response.status),
                      message: json["message"] as? String ?? json["Message"] as? String ?? fallbackMessage,
                      requestID: requestID, status: response.status)
        } else if let type = response.header("x-amzn-ErrorType") {
            self.init(code: Self.sanitizedJSONErrorType(type), message: fallbackMessage, requestID: requestID, status: response.status)
        } else {
            self.init(code: String(response.status), message: fallbackMessage, requestID: requestID, status: response.status)
            isServiceAnswer = false
        }
    }

    /// The code used when a successful answer cannot be understood.
    public static let invalidResponseCode = "InvalidResponse"

    /// A successful answer that is not what the operation returns.
    public static func invalidResponse(_ message: String, response: HTTPResponse) -> AWSError {
        AWSError(code: invalidResponseCode, message: message,
                 requestID: response.header("x-amzn-RequestId") ?? response.header("x-amz-request-id"),
                 status: response.status)
    }

    /// Throttling: slow down and try again.
    public var isThrottling: Bool { status == 429 || Self.throttlingCodes.contains(code) }

    /// Worth retrying with backoff: throttling, server-side failures, and answers that are not the service's.
    public var isRetryable: Bool { isThrottling || (status >= 500 && code != Self.invalidResponseCode) || !isServiceAnswer }

    public var description: String {
        "\(code): \(message) (HTTP \(status)\(requestID.map { ", request ID \($0)" } ?? ""))"
    }

    private static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException",
    ]

    /// JSON protocols may qualify the code (`aws.protocoltests#FooError`) or
    /// append details after a colon (`FooError:http://internal/`).
    static func sanitizedJSONErrorType(_ type: String) -> String {
        var code = Substring(type)
        if let colon = code.firstIndex(of: ":") { code = code[..<colon] }
        if let hash = code.lastIndex(of: "#") { code = code[code.index(after: hash)...] }
        return String(code)
    }

    private static let reasonPhrases: [Int: String] = [
        301: "Moved Permanently", 304: "Not Modified", 307: "Temporary Redirect", 400: "Bad Request",
        401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 409: "Conflict",
        412: "Precondition Failed", 416: "Range Not Satisfiable", 429: "Too Many Requests",
        500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
    ]
}
