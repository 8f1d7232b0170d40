import Foundation
import Testing
import TrailWardenHTTP
import TrailWardenTestSupport

@Suite struct FailureTests {
    @Test func stalledBodyTimesOutAfterTheIdleTimeout() async throws {
        try await TestHTTPServer.with { server in
            let client = CurlHTTPClient(configuration: .init(idleTimeout: .seconds(2)))
            var consumer = CollectingConsumer()
            let started = ContinuousClock.now
            let error = await httpError {
                _ = try await client.send(HTTPRequest(url: server.url("/stall?seconds=60")), streamingInto: &consumer)
            }
            #expect(error?.kind == .timedOut)
            #expect(error?.isTransient == true)
            // Before the server's own 60 s: the client gave up, the server did not end it.
            #expect(ContinuousClock.now - started < .seconds(60))
            #expect(consumer.bytes.count == 100)
        }
    }

    @Test func slowFirstByteWithinTheIdleTimeoutSucceedsAndBeyondItTimesOut() async throws {
        try await TestHTTPServer.with { server in
            let client = CurlHTTPClient(configuration: .init(idleTimeout: .seconds(2)))
            let late = try await client.send(HTTPRequest(url: server.url("/slow-first-byte?ms=300")))
            #expect(late.body == Array("late\n".utf8))
            let error = await httpError { _ = try await client.send(HTTPRequest(url: server.url("/slow-first-byte?ms=60000"))) }
            #expect(error?.kind == .timedOut)
        }
    }

    @Test func totalTimeoutEndsARequestThatKeepsTheConnectionBusy() async throws {
        try await TestHTTPServer.with { server in
            let client = CurlHTTPClient(configuration: .init(idleTimeout: .seconds(60), totalTimeout: .seconds(1)))
            let error = await httpError { _ = try await client.send(HTTPRequest(url: server.url("/slow-first-byte?ms=60000"))) }
            #expect(error?.kind == .timedOut)
        }
    }

    @Test(arguments: ["/truncated", "/truncated-chunked"])
    func truncatedBodyIsAnError(path: String) async throws {
        try await TestHTTPServer.with { server in
            var consumer = CollectingConsumer()
            let error = await httpError {
                _ = try await CurlHTTPClient().send(HTTPRequest(url: server.url(path)), streamingInto: &consumer)
            }
            #expect(error?.kind == .connectionReset)
            #expect(error?.isTransient == true)
        }
    }

    @Test func refusedConnectionIsConnectFailedAndNamesOnlyTheHost() async throws {
        let server = try await TestHTTPServer.start()
        let port = server.port
        server.stop()
        let request = HTTPRequest(url: "http://user:pa55word@127.0.0.1:\(port)/bucket/key?X-Amz-Signature=s3cr3t&X-Amz-Credential=AKIDEXAMPLE",
                                  headers: [(name: "Authorization", value: "AWS4-HMAC-SHA256 Signature=h34d3r")])
        let error = await httpError { _ = try await CurlHTTPClient().send(request) }
        #expect(error?.kind == .connectFailed)
        #expect(error?.isTransient == true)
        let message = error?.description ?? ""
        #expect(message.contains("GET http://127.0.0.1:\(port)"))
        for secret in ["pa55word", "s3cr3t", "AKIDEXAMPLE", "h34d3r", "/bucket/key", "?"] {
            #expect(!message.contains(secret), "message leaks \(secret): \(message)")
        }
    }

    @Test(arguments: ["ftp://127.0.0.1/file", "127.0.0.1/no-scheme", "http:///no-host", "http://127.0.0.1/a b", "http://127.0.0.1/caf\u{e9}"])
    func invalidURLsAreRefusedBeforeSending(url: String) async {
        let error = await httpError { _ = try await CurlHTTPClient().send(HTTPRequest(url: url)) }
        #expect(error?.kind == .invalidURL)
        #expect(error?.isTransient == false)
    }

    @Test func headersThatCouldInjectLinesAreRefused() async {
        let client = CurlHTTPClient()
        let injected = HTTPRequest(url: "http://127.0.0.1:1/", headers: [(name: "X-A", value: "1\r\nX-Injected: 2")])
        #expect(await httpError { _ = try await client.send(injected) }?.kind == .invalidRequest)
        let badName = HTTPRequest(url: "http://127.0.0.1:1/", headers: [(name: "X A", value: "1")])
        #expect(await httpError { _ = try await client.send(badName) }?.kind == .invalidRequest)
        let badMethod = HTTPRequest(method: "GET /x", url: "http://127.0.0.1:1/")
        #expect(await httpError { _ = try await client.send(badMethod) }?.kind == .invalidRequest)
    }

    @Test func cancellingTheTaskAbortsTheTransfer() async throws {
        try await TestHTTPServer.with { server in
            let client = CurlHTTPClient(configuration: .init(idleTimeout: .seconds(120)))
            let request = HTTPRequest(url: server.url("/stall?seconds=120"))
            let started = ContinuousClock.now
            let task = Task { try await client.send(request) }
            try await Task.sleep(for: .milliseconds(300))
            task.cancel()
            await #expect(throws: CancellationError.self) { _ = try await task.value }
            #expect(ContinuousClock.now - started < .seconds(60))
        }
    }
}

@Suite struct TLSTests {
    @Test func tlsIsVerifiedAgainstTheConfiguredCABundle() async throws {
        let certificate = try await TestCertificate.make()
        defer { certificate.remove() }
        try await TestHTTPServer.with(tls: certificate) { server in
            let trusting = CurlHTTPClient(configuration: .init(caBundlePath: certificate.certificatePath))
            var consumer = PatternConsumer()
            let response = try await trusting.send(HTTPRequest(url: server.url("/bytes?n=100000")), streamingInto: &consumer)
            #expect(response.status == 200)
            #expect(consumer.byteCount == 100_000 && consumer.matchesPattern)

            let error = await httpError { _ = try await CurlHTTPClient().send(HTTPRequest(url: server.url("/bytes?n=10"))) }
            #expect(error?.kind == .tls)
            #expect(error?.isTransient == false)
        }
    }
}

@Suite struct LookupAndReuseTests {
    @Test func anUnresolvableNameIsTransientEveryTimeOnTheSameClient() async throws {
        let client = CurlHTTPClient(configuration: .init(maxConcurrentRequests: 1, connectTimeout: .seconds(5)))
        for _ in 0..<3 {
            let error = await httpError { _ = try await client.send(HTTPRequest(url: "http://no-such-host.invalid/x")) }
            #expect(error?.kind == .connectFailed)
            #expect(error?.isTransient == true)
            #expect(error?.message.contains("could not resolve host no-such-host.invalid") == true, "\(String(describing: error))")
        }
    }

    @Test func aBodyLongerThanItsContentLengthIsAFaultAndPoisonsNothing() async throws {
        try await TestHTTPServer.with { server in
            let client = CurlHTTPClient(configuration: .init(maxConcurrentRequests: 1))
            var consumer = PatternConsumer()
            let error = await httpError { _ = try await client.send(HTTPRequest(url: server.url("/overlong?n=100")), streamingInto: &consumer) }
            #expect(error?.kind == .connectionReset)
            #expect(consumer.byteCount == 100)
            #expect(consumer.matchesPattern)
            let next = try await client.send(HTTPRequest(url: server.url("/bytes?n=300")))
            #expect(next.body.count == 300)
            #expect(next.body.enumerated().allSatisfy { $0.element == UInt8($0.offset % 251) })
        }
    }

    @Test func aFreshConnectionRequestOpensOneAndLeavesItUnused() async throws {
        try await TestHTTPServer.with { server in
            let client = CurlHTTPClient(configuration: .init(maxConcurrentRequests: 1))
            _ = try await client.send(HTTPRequest(url: server.url("/bytes?n=10")))
            #expect(try await server.stats(using: client).connections == 1)
            _ = try await client.send(HTTPRequest(url: server.url("/bytes?n=10"), freshConnection: true))
            #expect(try await server.stats(using: client).connections == 2)
            _ = try await client.send(HTTPRequest(url: server.url("/bytes?n=10"), freshConnection: true))
            _ = try await client.send(HTTPRequest(url: server.url("/bytes?n=10")))
            #expect(try await server.stats(using: client).connections == 3)
        }
    }
}
