import Foundation

/// Adaptive mode's client-side rate limiter, as botocore's `adaptive.py` builds it:
/// off until the first throttling answer, then a token bucket that every attempt
/// must take a token from, refilled at a send rate that CUBIC sets (cut to 70 % of
/// the measured rate at each throttle, grown back along a cubic curve while calls
/// succeed, never above twice the measured rate).
///
/// One per transport, shared by its concurrent calls; the clock and the wait are
/// injected so that tests run the curve without waiting.
public actor ClientRateLimiter {
    static let minimumRate = 0.5
    static let maximumRateScale = 2.0
    static let smoothing = 0.8
    static let measuringInterval = 0.5
    static let cubicScale = 0.4
    static let cubicBeta = 0.7
    static let tokenTolerance = 1e-6

    private let clock: @Sendable () -> Date
    private let sleep: @Sendable (TimeInterval) async throws -> Void
    private var enabled = false

    // The token bucket: tokens per second, how many it holds at most, how many it holds now.
    private var fillRate = 1.0
    private var bucketSize = 1.0
    private var tokens = 0.0
    private var lastRefill: TimeInterval

    // The measured send rate: answers per second over half-second intervals, smoothed.
    private var measuredRate = 0.0
    private var intervalStart: TimeInterval
    private var answersInInterval = 0

    // CUBIC: the rate at the last throttle, the time the curve takes to regain it, and when it happened.
    private var rateAtThrottle = 0.0
    private var timeToRegain = 0.0
    private var lastThrottle: TimeInterval

    public init(clock: @escaping @Sendable () -> Date = { Date() },
                sleep: @escaping @Sendable (TimeInterval) async throws -> Void = AWSTransport.taskSleep) {
        self.clock = clock
        self.sleep = sleep
        let now = clock().timeIntervalSince1970
        lastRefill = now
        intervalStart = now.rounded(.down)
        lastThrottle = now
    }

    /// The rate attempts are held to; nil until a throttling answer turned the limiter on.
    public var sendRate: Double? { enabled ? fillRate : nil }

    /// Before each attempt: takes a token, waiting for one when the limiter is on
    /// (each wait is at most 1 / `minimumRate` seconds, then the bucket is looked at again).
    public func acquireToken() async throws {
        guard enabled else { return }
        refill()
        // Within a rounding error of a token is a token: a wait too short to move the clock would never end.
        while tokens < 1 - Self.tokenTolerance {
            try await sleep((1 - tokens) / fillRate)
            refill()
        }
        tokens = max(0, tokens - 1)
    }

    /// After each attempt's answer (or failure): adjusts the send rate.
    public func record(throttled: Bool) {
        let now = clock().timeIntervalSince1970
        measure(at: now)
        let newRate: Double
        if throttled {
            rateAtThrottle = enabled ? min(measuredRate, fillRate) : measuredRate
            timeToRegain = cbrt(rateAtThrottle * (1 - Self.cubicBeta) / Self.cubicScale)
            lastThrottle = now
            newRate = rateAtThrottle * Self.cubicBeta
            enabled = true
        } else {
            let offset = now - lastThrottle - timeToRegain
            newRate = Self.cubicScale * offset * offset * offset + rateAtThrottle
        }
        setRate(min(newRate, Self.maximumRateScale * measuredRate))
    }

    private func measure(at now: TimeInterval) {
        let interval = (now / Self.measuringInterval).rounded(.down) * Self.measuringInterval
        answersInInterval += 1
        guard interval > intervalStart else { return }
        let rate = Double(answersInInterval) / (interval - intervalStart)
        measuredRate = rate * Self.smoothing + measuredRate * (1 - Self.smoothing)
        answersInInterval = 0
        intervalStart = interval
    }

    private func setRate(_ rate: Double) {
        refill()
        fillRate = max(rate, Self.minimumRate)
        bucketSize = max(rate, 1)
        tokens = min(tokens, bucketSize)
    }

    private func refill() {
        let now = clock().timeIntervalSince1970
        tokens = min(bucketSize, tokens + max(0, now - lastRefill) * fillRate)
        lastRefill = now
    }
}
