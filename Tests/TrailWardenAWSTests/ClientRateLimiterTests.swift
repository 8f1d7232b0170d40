import Foundation
import Testing
import TrailWardenHTTP
@testable import TrailWardenAWS

/// Adaptive mode's client-side rate limiter (botocore's `adaptive.py`), on a clock
/// that moves only when the limiter waits: no real waits.
@Suite struct ClientRateLimiterTests {
    /// A clock that moves when told to and when the limiter sleeps; it records the sleeps.
    final class ManualClock: @unchecked Sendable {
        private let lock = NSLock()
        private var now: TimeInterval
        private var waits: [TimeInterval] = []
        init(_ start: TimeInterval) { now = start }
        var date: Date { lock.withLock { Date(timeIntervalSince1970: now) } }
        var slept: [TimeInterval] { lock.withLock { waits } }
        func set(_ time: TimeInterval) { lock.withLock { now = time } }
        func sleep(_ seconds: TimeInterval) { lock.withLock { waits.append(seconds); now += seconds } }
        func limiter() -> ClientRateLimiter { ClientRateLimiter(clock: { self.date }, sleep: { self.sleep($0) }) }
    }

    @Test func itDoesNotHoldAnythingBackBeforeTheFirstThrottle() async throws {
        let clock = ManualClock(1000)
        let limiter = clock.limiter()
        for step in 0..<20 {
            try await limiter.acquireToken()
            await limiter.record(throttled: false)
            clock.set(1000 + Double(step) * 0.05)
        }
        #expect(clock.slept.isEmpty)
        #expect(await limiter.sendRate == nil)
    }

    @Test func aThrottleCutsTheRateToSeventyPercentOfTheMeasuredOneAndAttemptsWait() async throws {
        let clock = ManualClock(1000)
        let limiter = clock.limiter()
        // Four answers in [1000, 1000.5), the fifth (a throttle) opens the next half second:
        // 5 answers in 0.5 s is 10/s, smoothed from 0 to 8/s; the new rate is 0.7 × 8.
        for time in [1000.0, 1000.1, 1000.2, 1000.3] {
            clock.set(time)
            await limiter.record(throttled: false)
        }
        clock.set(1000.5)
        await limiter.record(throttled: true)
        let rate = try #require(await limiter.sendRate)
        #expect(abs(rate - 5.6) < 1e-9)
        // Twelve attempts at once: the bucket held less than one token, so they wait 11 to 12 tokens' time.
        for _ in 0..<12 { try await limiter.acquireToken() }
        let waited = clock.slept.reduce(0, +)
        #expect(waited > 11 / rate - 1e-9 && waited <= 12 / rate + 1e-9, "\(waited)")
        #expect(clock.slept.allSatisfy { $0 <= 1 / ClientRateLimiter.minimumRate })
    }

    @Test func successesGrowTheRateBackAlongTheCubicCurveCappedByTheMeasuredRate() async throws {
        let clock = ManualClock(1000)
        let limiter = clock.limiter()
        var time = 1000.0
        for _ in 0..<10 {
            clock.set(time)
            await limiter.record(throttled: false)
            time += 0.1
        }
        await limiter.record(throttled: true)
        let cut = try #require(await limiter.sendRate)
        var rates = [Double]()
        for _ in 0..<40 {
            time += 0.1
            clock.set(time)
            await limiter.record(throttled: false)
            rates.append(try #require(await limiter.sendRate))
        }
        // Ten answers a second throughout (twelve in the first half second): the rate climbs past
        // the cut, but never beyond twice the measured rate.
        #expect(rates.last! > cut)
        #expect(rates.allSatisfy { $0 <= 24 + 1e-9 })
        // A second throttle cuts it again, below where it had climbed.
        await limiter.record(throttled: true)
        #expect(try #require(await limiter.sendRate) < rates.last!)
    }

    @Test func anAdaptiveTransportSlowsDownAfterAThrottlingAnswer() async throws {
        let url = "https://cloudtrail.us-east-1.amazonaws.com/"
        let http = FakeHTTPClient()
        await http.on("POST", url, .response(HTTPResponse(status: 400, headers: [], body: Array(#"{"__type":"ThrottlingException"}"#.utf8))),
                      .response(HTTPResponse(status: 200, headers: [], body: Array("{}".utf8))))
        let clock = ManualClock(1000)
        let transport = AWSTransport(http: http, credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKID", secretAccessKey: "s")),
                                     retry: RetryPolicy(mode: .adaptive), clock: { clock.date }, sleep: { clock.sleep($0) })
        let request = HTTPRequest(method: "POST", url: url, headers: [], body: [])
        #expect(await transport.rateLimiter?.sendRate == nil)
        _ = try await transport.send(request, signingName: "cloudtrail", region: "us-east-1")
        #expect(await transport.rateLimiter?.sendRate != nil)
        // The role's transport shares the limiter and the quota.
        let role = transport.using(credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKID2", secretAccessKey: "t")))
        #expect(role.rateLimiter === transport.rateLimiter && role.retryQuota === transport.retryQuota)
        #expect(await http.requests.count == 2)
    }
}
