import TrailWardenHTTP

/// Standard and adaptive mode's retry quota, as botocore keeps it: one budget of
/// retries for every call a transport makes, so that when a service is down calls
/// soon fail after their first attempt instead of each multiplying the load by its
/// retries. A retry costs 5 tokens (10 after a timeout); a call that succeeds gives
/// back what its last retry cost, or 1 when it needed none, never above the start.
public actor RetryQuota {
    public static let initialTokens = 500
    public static let retryCost = 5
    public static let timeoutRetryCost = 10
    public static let noRetryRefund = 1

    public private(set) var available: Int
    private let capacity: Int

    public init(tokens: Int = RetryQuota.initialTokens) {
        capacity = tokens
        available = tokens
    }

    /// Takes what a retry after `error` costs and returns it; nil, taking nothing, when the quota cannot pay.
    public func acquire(after error: any Error) -> Int? {
        let cost = (error as? HTTPError)?.kind == .timedOut ? Self.timeoutRetryCost : Self.retryCost
        guard cost <= available else { return nil }
        available -= cost
        return cost
    }

    /// After a call succeeded: gives back `lastRetryCost`, or the refund of a call that was not retried.
    public func release(lastRetryCost: Int?) {
        available = min(capacity, available + (lastRetryCost ?? Self.noRetryRefund))
    }
}
