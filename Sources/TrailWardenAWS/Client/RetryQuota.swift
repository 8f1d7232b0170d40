import Synchronization
import TrailWardenHTTP

/// Standard and adaptive mode's retry quota, as botocore keeps it: one budget of
/// retries for every call a transport makes, so that when a service is down calls
/// soon fail after their first attempt instead of each multiplying the load by its
/// retries. A retry costs 5 tokens (10 after a timeout); a call that succeeds gives
/// back what its last retry cost, or 1 when it needed none, never above the start.
///
/// A lock, not an actor: every successful call gives back a token, and a hop onto an
/// actor per request cost more than the arithmetic it guards.
public final class RetryQuota: Sendable {
    public static let initialTokens = 500
    public static let retryCost = 5
    public static let timeoutRetryCost = 10
    public static let noRetryRefund = 1

    private let tokens: Mutex<Int>
    private let capacity: Int

    public init(tokens: Int = RetryQuota.initialTokens) {
        capacity = tokens
        self.tokens = Mutex(tokens)
    }

    /// The tokens left.
    public var available: Int { tokens.withLock { $0 } }

    /// Takes what a retry after `error` costs and returns it; nil, taking nothing, when the quota cannot pay.
    public func acquire(after error: any Error) -> Int? {
        let cost = (error as? HTTPError)?.kind == .timedOut ? Self.timeoutRetryCost : Self.retryCost
        return tokens.withLock { available in
            guard cost <= available else { return nil }
            available -= cost
            return cost
        }
    }

    /// After a call succeeded: gives back `lastRetryCost`, or the refund of a call that was not retried.
    public func release(lastRetryCost: Int?) {
        tokens.withLock { $0 = min(capacity, $0 + (lastRetryCost ?? Self.noRetryRefund)) }
    }
}
