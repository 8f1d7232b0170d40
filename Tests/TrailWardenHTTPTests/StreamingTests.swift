import Testing
import TrailWardenHTTP
import TrailWardenVocabulary
import TrailWardenTestSupport

@Suite struct StreamingTests {
    @Test func largeBodyIsStreamedInManyPieces() async throws {
        try await TestHTTPServer.with { server in
            let size = 32 << 20
            var consumer = PatternConsumer()
            let response = try await CurlHTTPClient().send(HTTPRequest(url: server.url("/bytes?n=\(size)")), streamingInto: &consumer)
            #expect(response.status == 200)
            #expect(response.body.isEmpty)
            #expect(consumer.byteCount == size)
            #expect(consumer.matchesPattern)
            #expect(consumer.pieceCount >= 100)
            #expect(consumer.largestPiece <= 1 << 20)
        }
    }

    @Test func chunkedBodyIsStreamedAndTrailersAreNotHeaders() async throws {
        try await TestHTTPServer.with { server in
            var consumer = PatternConsumer()
            let response = try await CurlHTTPClient().send(HTTPRequest(url: server.url("/chunked?n=300000&trailer=1")), streamingInto: &consumer)
            #expect(response.status == 200)
            #expect(consumer.byteCount == 300_000)
            #expect(consumer.matchesPattern)
            #expect(response.header("Transfer-Encoding") == "chunked")
            #expect(response.header("X-Checksum") == nil)
        }
    }

    @Test func errorDocumentsAreCollectedWithoutCallingTheConsumer() async throws {
        try await TestHTTPServer.with { server in
            let client = CurlHTTPClient()
            var consumer = UnusedConsumer()
            let slowDown = try await client.send(HTTPRequest(url: server.url("/status?code=503&retry_after=1")), streamingInto: &consumer)
            #expect(slowDown.status == 503)
            #expect(slowDown.header("Retry-After") == "1")
            #expect(String(decoding: slowDown.body, as: UTF8.self).contains("<Code>SlowDown</Code>"))

            let html = try await client.send(HTTPRequest(url: server.url("/html-error")), streamingInto: &consumer)
            #expect(html.status == 502)
            #expect(html.header("Content-Type") == "text/html")
            #expect(String(decoding: html.body, as: UTF8.self).contains("Bad Gateway"))
            #expect(!consumer.called)
        }
    }

    @Test func errorDocumentsAreCutAtOneMebibyte() async throws {
        try await TestHTTPServer.with { server in
            var consumer = UnusedConsumer()
            let response = try await CurlHTTPClient().send(HTTPRequest(url: server.url("/big-error?n=\(3 << 20)")), streamingInto: &consumer)
            #expect(response.status == 500)
            #expect(response.body.count == 1 << 20)
            #expect(!consumer.called)
        }
    }

    @Test func consumerErrorAbortsTheTransferAndIsRethrownUnchanged() async throws {
        try await TestHTTPServer.with { server in
            var consumer = FailingConsumer()
            await #expect(throws: FailingConsumer.Refused()) {
                _ = try await CurlHTTPClient().send(HTTPRequest(url: server.url("/bytes?n=\(32 << 20)")), streamingInto: &consumer)
            }
            #expect(consumer.calls == 1)
        }
    }

    @Test func collectingSendRefusesBodiesOverTheLimit() async throws {
        try await TestHTTPServer.with { server in
            let client = CurlHTTPClient()
            let request = HTTPRequest(url: server.url("/bytes?n=5000"))
            let error = await #expect(throws: BodyTooLargeError.self) { _ = try await client.send(request, limit: 4999) }
            #expect(error?.description == "response body from \(server.url("")) is larger than 4999 bytes")
            let response = try await client.send(request, limit: 5000)
            #expect(response.body.count == 5000)
            #expect(response.body.prefix(3) == [0, 1, 2])
        }
    }
}
