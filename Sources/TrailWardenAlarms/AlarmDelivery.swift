/// What came of delivering one notice to one target.
public struct AlarmDeliveryResult: Sendable, Equatable {
    public var target: String
    /// How many times delivery was tried.
    public var attempts: Int
    /// Why the last attempt failed; nil when the notice was delivered.
    public var error: String?

    public init(target: String, attempts: Int, error: String?) {
        self.target = target
        self.attempts = attempts
        self.error = error
    }

    public var isDelivered: Bool { error == nil }
}

/// Delivers a notice with retries, returning what happened instead of
/// throwing, so that one failing target never keeps the others from theirs.
public enum AlarmDelivery {
    /// Tries `sink` up to `attempts` times, waiting `delay(n)` after failed attempt `n`;
    /// cancelled while waiting, it stops and reports the last failure.
    public static func deliver(_ notice: AlarmNotice, to sink: any AlarmSink, attempts: Int = 3,
                               delay: (Int) -> Duration = AlarmDelivery.backoff) async -> AlarmDeliveryResult {
        var attempt = 1
        while true {
            do {
                try await sink.deliver(notice)
                return AlarmDeliveryResult(target: sink.target, attempts: attempt, error: nil)
            } catch let failure {
                guard attempt < attempts, (try? await Task.sleep(for: delay(attempt))) != nil else {
                    return AlarmDeliveryResult(target: sink.target, attempts: attempt, error: "\(failure)")
                }
                attempt += 1
            }
        }
    }

    /// 2 s after the first failure, then doubling up to a minute: long enough
    /// for a throttled or restarting service, short enough for a nightly scan.
    public static func backoff(afterAttempt attempt: Int) -> Duration {
        .seconds(min(60, 2 << min(max(0, attempt - 1), 5)))
    }
}
