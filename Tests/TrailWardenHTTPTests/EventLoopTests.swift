import Foundation
import Testing
import TrailWardenHTTP
import TrailWardenTestSupport

/// The event loops under `CurlHTTPClient`: many transfers on each loop (one loop per core),
/// the queue beyond the cap, and transfers that end early while others on their loop go on.
@Suite struct EventLoopTests {
    @Test func manyConcurrentTransfersOverFewLoopsAllComplete() async throws {
        try await TestHTTPServer.with { server in
            let client = CurlHTTPClient(configuration: .init(maxConcurrentRequests: 128))
            let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<300 {
                    group.addTask {
                        if index.isMultiple(of: 3) {
                            return try await client.send(HTTPRequest(url: server.url("/slow-first-byte?ms=200"))).body == Array("late\n".utf8)
                        }
                        var consumer = PatternConsumer()
                        let response = try await client.send(HTTPRequest(url: server.url("/bytes?n=\(20_000 + index)")), streamingInto: &consumer)
                        return response.status == 200 && consumer.matchesPattern && consumer.byteCount == 20_000 + index
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.count == 300)
            #expect(results.allSatisfy { $0 })
            let stats = try await server.stats(using: client)
            #expect(stats.maxInFlight <= 128)
            // More at once than there are loops (one per core, here at most 128): each loop ran many.
            #expect(stats.maxInFlight > min(ProcessInfo.processInfo.activeProcessorCount, 16))
            #expect(stats.connections <= 128)
        }
    }

    @Test func cancellingAQueuedTransferLeavesTheRunningOneAlone() async throws {
        try await TestHTTPServer.with { server in
            let client = CurlHTTPClient(configuration: .init(maxConcurrentRequests: 1))
            // Ten seconds: in the full suite, other suites' work can hold this task's wake-ups for seconds.
            let running = Task { try await client.send(HTTPRequest(url: server.url("/slow-first-byte?ms=10000"))) }
            // The slow one holds the only place before the next is sent (a loaded machine may start it late):
            // the server has seen it once a stats request finds two in flight.
            let observer = CurlHTTPClient()
            var polls = 0
            while try await server.stats(using: observer).maxInFlight < 2, polls < 200 {
                polls += 1
                try await Task.sleep(for: .milliseconds(25))
            }
            let queued = Task { try await client.send(HTTPRequest(url: server.url("/bytes?n=10"))) }
            try await Task.sleep(for: .milliseconds(300))
            queued.cancel()
            await #expect(throws: CancellationError.self) { _ = try await queued.value }
            let late = try await running.value
            #expect(late.body == Array("late\n".utf8))
            // The cancelled transfer left no place taken: the next one runs.
            #expect(try await client.send(HTTPRequest(url: server.url("/bytes?n=10"))).body == Array(0..<10))
        }
    }

    @Test func cancellingARunningTransferGivesItsPlaceToTheQueuedOne() async throws {
        try await TestHTTPServer.with { server in
            // No curl timer of its own (a connect timeout) may wake the stalled transfer before the loop's check.
            let client = CurlHTTPClient(configuration: .init(maxConcurrentRequests: 1, connectTimeout: .seconds(90), idleTimeout: .seconds(120)))
            let running = Task { try await client.send(HTTPRequest(url: server.url("/stall?seconds=120"))) }
            try await Task.sleep(for: .milliseconds(300))
            let queued = Task { try await client.send(HTTPRequest(url: server.url("/bytes?n=10"))) }
            try await Task.sleep(for: .milliseconds(300))
            let cancelled = ContinuousClock.now
            running.cancel()
            await #expect(throws: CancellationError.self) { _ = try await running.value }
            #expect(try await queued.value.body == Array(0..<10))
            #expect(ContinuousClock.now - cancelled < .seconds(30))
        }
    }

    @Test func aStalledServerTimesOutWhileOtherTransfersOnTheLoopsComplete() async throws {
        try await TestHTTPServer.with { server in
            // An idle timeout long enough that forty small transfers finish within it on a loaded machine
            // (in the full suite on two cores they took 22 s once).
            let client = CurlHTTPClient(configuration: .init(maxConcurrentRequests: 8, connectTimeout: .seconds(90), idleTimeout: .seconds(40)))
            let started = ContinuousClock.now
            let stalled = Task { () -> (HTTPError?, ContinuousClock.Instant) in
                let error = await httpError { _ = try await client.send(HTTPRequest(url: server.url("/stall?seconds=90"))) }
                return (error, .now)
            }
            let othersDone = try await withThrowingTaskGroup(of: ContinuousClock.Instant.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        for _ in 0..<10 {
                            let response = try await client.send(HTTPRequest(url: server.url("/bytes?n=5000")))
                            #expect(response.body.count == 5000)
                        }
                        return .now
                    }
                }
                return try await group.reduce(started) { max($0, $1) }
            }
            let (error, timedOutAt) = await stalled.value
            #expect(error?.kind == .timedOut)
            #expect(othersDone < timedOutAt)
            #expect(timedOutAt - started < .seconds(70))
        }
    }

    /// curl reads a long body only up to its Content-Length, so the excess stays on the socket: it is found
    /// as the connection goes back to the loop's cache, before another transfer can reuse it.
    @Test func excessBytesBeyondALongBodyAreFoundBeforeTheConnectionIsReused() async throws {
        try await TestHTTPServer.with { server in
            let client = CurlHTTPClient(configuration: .init(maxConcurrentRequests: 1))
            var consumer = PatternConsumer()
            let error = await httpError { _ = try await client.send(HTTPRequest(url: server.url("/overlong?n=60000")), streamingInto: &consumer) }
            #expect(error?.kind == .connectionReset)
            #expect(consumer.byteCount == 60_000)
            let next = try await client.send(HTTPRequest(url: server.url("/bytes?n=300")))
            #expect(next.body == (0..<300).map { UInt8($0 % 251) })
        }
    }
}
