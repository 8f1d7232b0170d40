import Foundation
import TrailWardenHTTP

/// How failed AWS calls are retried: exponential backoff with full jitter,
/// for throttling, server errors and transient network failures only, and
/// never beyond a fixed number of attempts.
///
/// Errors that waiting cannot fix (AccessDenied, NoSuchKey, ExpiredToken, …)
/// are not retried; they surface at once to the caller.
public struct RetryPolicy: Sendable, Equatable {
    /// The AWS CLI's retry modes (`AWS_RETRY_MODE`, `retry_mode`), which set the
    /// default number of attempts and a backoff whose first ceiling is 1 s.
    public enum Mode: String, Sendable, CaseIterable {
        case legacy, standard, adaptive

        /// Attempts when `max_attempts` is not configured: 5 in legacy mode, 3 otherwise.
        public var defaultMaxAttempts: Int { self == .legacy ? 5 : 3 }
    }

    public var maxAttempts: Int
    /// The backoff ceiling of the first retry; it doubles with each attempt.
    public var baseDelay: TimeInterval
    public var maxDelay: TimeInterval
    /// The configured mode; nil for TrailWarden's own quicker default.
    public var mode: Mode?

    public init(maxAttempts: Int = 6, baseDelay: TimeInterval = 0.1, maxDelay: TimeInterval = 20) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The AWS CLI's policy for `mode`: backoff ceilings of 1, 2, 4, … seconds up to 20.
    public init(mode: Mode, maxAttempts: Int? = nil) {
        self.init(maxAttempts: maxAttempts ?? mode.defaultMaxAttempts, baseDelay: 1, maxDelay: 20)
        self.mode = mode
    }

    /// The policy `AWS_RETRY_MODE` / `AWS_MAX_ATTEMPTS` (or the profile's
    /// `retry_mode` / `max_attempts`) describe, the environment winning; the
    /// default policy when neither is set. A setting that is only the attempt
    /// count uses the AWS CLI v2 default mode, standard.
    public static func configured(environment: [String: String], profile: [String: String]) throws -> RetryPolicy {
        let modeSetting = environment.nonEmpty("AWS_RETRY_MODE").map { ("AWS_RETRY_MODE", $0) }
            ?? profile.nonEmpty("retry_mode").map { ("retry_mode", $0) }
        let attemptsSetting = environment.nonEmpty("AWS_MAX_ATTEMPTS").map { ("AWS_MAX_ATTEMPTS", $0) }
            ?? profile.nonEmpty("max_attempts").map { ("max_attempts", $0) }
        guard modeSetting != nil || attemptsSetting != nil else { return RetryPolicy() }
        var mode = Mode.standard
        if let (name, text) = modeSetting {
            guard let parsed = Mode(rawValue: text.lowercased()) else {
                throw RetryConfigurationError(message: "\(name) must be legacy, standard or adaptive, not \"\(text)\"")
            }
            mode = parsed
        }
        var attempts: Int?
        if let (name, text) = attemptsSetting {
            guard let parsed = Int(text), (1...100).contains(parsed) else {
                throw RetryConfigurationError(message: "\(name) must be a whole number of attempts from 1 to 100, not \"\(text)\"")
            }
            attempts = parsed
        }
        return RetryPolicy(mode: mode, maxAttempts: attempts)
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

/// A retry setting that is not a mode or a number of attempts.
public struct RetryConfigurationError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
