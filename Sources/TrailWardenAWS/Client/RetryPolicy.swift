import Foundation
import TrailWardenHTTP

/// How failed AWS calls are retried: exponential backoff with full jitter,
/// for throttling, server errors and transient network failures only, and
/// never beyond a fixed number of attempts.
///
/// Errors that waiting cannot fix (AccessDenied, NoSuchKey, ExpiredToken, …)
/// are not retried; they surface at once to the caller.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    /// The backoff ceiling of the first retry; it doubles with each attempt.
    public var baseDelay: TimeInterval
    public var maxDelay: TimeInterval

    public init(maxAttempts: Int = 6, baseDelay: TimeInterval = 0.1, maxDelay: TimeInterval = 20) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Whether `error` may go away if the call is repeated.
    public static func isRetryable(_ error: any Error) -> Bool {
        switch error {
        case let error as AWSError: return error.isRetryable
        case let error as HTTPError: return error.isTransient
        case is BodyIntegrityError: return true
        default: return false
        }
    }

    /// How long to wait before retry number `retry` (1-based): a uniform draw
    /// below the exponential ceiling, but never less than a Retry-After the
    /// service asked for (itself capped at `maxDelay`).
    public func delay(beforeRetry retry: Int, retryAfter: TimeInterval?, using random: inout some RandomNumberGenerator) -> TimeInterval {
        let ceiling = min(maxDelay, baseDelay * pow(2, Double(max(0, retry - 1))))
        let jittered = Double.random(in: 0...ceiling, using: &random)
        return max(jittered, min(retryAfter ?? 0, maxDelay))
    }
}

/// `Retry-After` in seconds, from an HTTP date too.
enum RetryAfter {
    static func seconds(_ response: HTTPResponse?, now: Date) -> TimeInterval? {
        guard let value = response?.header("Retry-After")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = TimeInterval(value) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value).map { max(0, $0.timeIntervalSince(now)) }
    }
}
