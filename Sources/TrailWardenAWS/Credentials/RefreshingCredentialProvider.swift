import Foundation
import Synchronization
import TrailWardenVocabulary

/// Caches another provider's credentials and renews them before they expire.
///
/// Every signed request asks for credentials, so without a cache each one
/// would call STS or a metadata service. Credentials without an expiration
/// are kept for good. Expiring ones are renewed once they are within
/// `refreshWindow` of expiry; concurrent callers share that one renewal.
/// If renewal fails while the cached credentials still work, they are used
/// and renewal is tried again after `retryInterval`, so a brief STS outage
/// neither fails requests nor turns into a storm of retries; once they have
/// expired, the failure is thrown.
///
/// Credentials that need no renewal are read under a lock without entering the
/// actor: every request asks, and a hop per request onto one actor serialised them.
public actor RefreshingCredentialProvider: CredentialProvider {
    public let base: any CredentialProvider
    public let refreshWindow: TimeInterval
    public let retryInterval: TimeInterval
    private let clock: WallClock
    private let log: CredentialLog?
    private let cache = Mutex<AWSCredentials?>(nil)
    private var lastAttempt: Date?
    private var renewal: Task<AWSCredentials, any Error>?

    public nonisolated var name: String { base.name }

    /// - Parameters:
    ///   - refreshWindow: how long before expiry to renew (5 minutes by default).
    ///   - retryInterval: how long to wait before trying a failed early renewal again.
    public init(_ base: any CredentialProvider, refreshWindow: TimeInterval = 300, retryInterval: TimeInterval = 10,
                clock: @escaping WallClock = { Date() }, log: CredentialLog? = nil) {
        self.base = base
        self.refreshWindow = refreshWindow
        self.retryInterval = retryInterval
        self.clock = clock
        self.log = log
    }

    public nonisolated func credentials() async throws -> AWSCredentials {
        if let cached = cache.withLock({ $0 }), !needsRenewalSoon(cached, at: clock()) { return cached }
        return try await renewedCredentials()
    }

    /// Whether `credentials` are within the refresh window (or past expiry); the actor then decides on renewal.
    private nonisolated func needsRenewalSoon(_ credentials: AWSCredentials, at now: Date) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        return expiration.timeIntervalSince(now) <= refreshWindow
    }

    private func renewedCredentials() async throws -> AWSCredentials {
        let now = clock()
        let cached = cache.withLock { $0 }
        if let cached, !needsRenewal(cached, at: now) { return cached }
        let task = renewal ?? startRenewal(at: now)
        let result = await task.result
        if renewal == task {
            // The first caller to resume records the outcome; later ones find it done.
            renewal = nil
            if case .success(let fresh) = result {
                cache.withLock { $0 = fresh }
                if let expiration = fresh.expiration { log?("\(base.name): credentials valid until \(CloudTrailTime.display(expiration))") }
            }
        }
        switch result {
        case .success(let fresh):
            return fresh
        case .failure(let error):
            if let cached = cache.withLock({ $0 }), let expiration = cached.expiration, expiration > clock() {
                log?("\(base.name): renewing credentials failed (\(error)); using the current ones until \(CloudTrailTime.display(expiration))")
                return cached
            }
            throw error
        }
    }

    /// Within the window: renewed at once when expired, else unless a renewal failed within `retryInterval`.
    private func needsRenewal(_ credentials: AWSCredentials, at now: Date) -> Bool {
        guard needsRenewalSoon(credentials, at: now), let expiration = credentials.expiration else { return false }
        if expiration <= now { return true }
        return lastAttempt.map { now.timeIntervalSince($0) >= retryInterval } ?? true
    }

    private func startRenewal(at now: Date) -> Task<AWSCredentials, any Error> {
        lastAttempt = now
        let base = self.base
        let task = Task { try await base.credentials() }
        renewal = task
        return task
    }
}
