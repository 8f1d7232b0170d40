import Foundation
import Testing
import TrailWardenHTTP
import TrailWardenTestSupport

@Suite struct RoundTripTests {
    @Test func getSendsExactlyTheGivenHeaders() async throws {
        try await TestHTTPServer.with { server in
            let client = CurlHTTPClient()
            let request = HTTPRequest(method: "GET", url: server.url("/echo/some/key?list-type=2&prefix=a%2Fb"), headers: [
                (name: "X-Amz-Date", value: "20260101T000000Z"),
                (name: "x-amz-content-sha256", value: "UNSIGNED-PAYLOAD"),
                (name: "Authorization", value: "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request"),
                (name: "X-Empty", value: ""),
            ])
            let response = try await client.send(request)
            #expect(response.status == 200)
            let echo = try Echo(response)
            #expect(echo.method == "GET")
            #expect(echo.path == "/echo/some/key?list-type=2&prefix=a%2Fb")
            #expect(echo.headerNames == ["Host", "User-Agent", "X-Amz-Date", "x-amz-content-sha256", "Authorization", "X-Empty"])
            #expect(echo.values("Host") == ["127.0.0.1:\(server.port)"])
            #expect(echo.values("User-Agent") == ["trailwarden"])
            #expect(echo.values("X-Empty") == [""])
            #expect(echo.values("Authorization") == ["AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request"])
        }
    }

    @Test func putSendsTheBodyWithOnlyAContentLength() async throws {
        try await TestHTTPServer.with { server in
            let body = (0..<(2 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let response = try await CurlHTTPClient().send(
                HTTPRequest(method: "PUT", url: server.url("/echo"), headers: [(name: "X-Amz-Meta-Note", value: "n")], body: body))
            let echo = try Echo(response)
            #expect(echo.method == "PUT")
            #expect(echo.body == body)
            #expect(echo.headerNames == ["Host", "User-Agent", "X-Amz-Meta-Note", "Content-Length"])
            #expect(echo.values("Content-Length") == ["\(body.count)"])
        }
    }

    @Test func postAndEmptyPutSendAContentLengthAndTheGivenContentTypeOnly() async throws {
        try await TestHTTPServer.with { server in
            let client = CurlHTTPClient()
            let post = try Echo(await client.send(HTTPRequest(method: "POST", url: server.url("/echo"), headers: [
                (name: "Content-Type", value: "application/x-amz-json-1.1"),
            ], body: Array("{}".utf8))))
            #expect(post.method == "POST")
            #expect(post.body == Array("{}".utf8))
            #expect(post.values("Content-Type") == ["application/x-amz-json-1.1"])
            #expect(post.values("Accept").isEmpty && post.values("Expect").isEmpty)

            let put = try Echo(await client.send(HTTPRequest(method: "PUT", url: server.url("/echo"))))
            #expect(put.method == "PUT")
            #expect(put.values("Content-Length") == ["0"])
            #expect(put.values("Content-Type").isEmpty)
        }
    }

    @Test func deleteAndGivenHostAndUserAgentAreSentAsGiven() async throws {
        try await TestHTTPServer.with { server in
            let echo = try Echo(await CurlHTTPClient().send(HTTPRequest(method: "DELETE", url: server.url("/echo"), headers: [
                (name: "Host", value: "bucket.example.com"),
                (name: "User-Agent", value: "custom/1"),
            ])))
            #expect(echo.method == "DELETE")
            #expect(echo.values("Host") == ["bucket.example.com"])
            #expect(echo.values("User-Agent") == ["custom/1"])
            #expect(echo.values("Content-Length").isEmpty)
        }
    }

    @Test func headReturnsHeadersWithoutCallingTheConsumer() async throws {
        try await TestHTTPServer.with { server in
            var consumer = UnusedConsumer()
            let response = try await CurlHTTPClient().send(HTTPRequest(method: "HEAD", url: server.url("/bytes?n=12345")), streamingInto: &consumer)
            #expect(response.status == 200)
            #expect(response.header("content-length") == "12345")
            #expect(response.body.isEmpty)
            #expect(!consumer.called)
        }
    }

    @Test func redirectsAreReturnedNotFollowed() async throws {
        try await TestHTTPServer.with { server in
            let response = try await CurlHTTPClient().send(HTTPRequest(url: server.url("/redirect")))
            #expect(response.status == 302)
            #expect(response.header("Location") == "/echo")
            #expect(response.body == Array("moved\n".utf8))
        }
    }

    @Test func interimResponsesAreSkipped() async throws {
        try await TestHTTPServer.with { server in
            let response = try await CurlHTTPClient().send(HTTPRequest(url: server.url("/informational")))
            #expect(response.status == 200)
            #expect(response.header("Link") == nil)
            #expect(response.header("X-Final") == "yes")
            #expect(response.body == Array("final\n".utf8))
        }
    }

    @Test func headerLinesAreSplitAndTrimmedAsTheyArrive() async throws {
        try await TestHTTPServer.with { server in
            let response = try await CurlHTTPClient().send(HTTPRequest(url: server.url("/raw-head")))
            #expect(response.status == 200)
            #expect(response.body == Array("raw".utf8))
            // Spaces and tabs around names and values go; inner ones stay.
            #expect(response.headers.contains { $0.name == "X-Padded" && $0.value == "value with  inner  spaces" })
            #expect(response.header("X-Empty") == "")
            // Non-ASCII text is trimmed of Unicode white space too (a no-break space), as before.
            #expect(response.header("X-Utf8") == "café")
            // An obsolete folded line continues the field before it, joined by one space.
            #expect(response.header("X-Folded") == "first second part")
            // Only the first colon separates the name.
            #expect(response.header("X-Colons") == "a:b:c")
        }
    }

    @Test func headerLookupIsCaseInsensitiveAndFirstMatch() {
        let response = HTTPResponse(status: 200, headers: [(name: "ETag", value: "\"a\""), (name: "etag", value: "\"b\"")])
        #expect(response.header("etag") == "\"a\"")
        #expect(response.header("ETAG") == "\"a\"")
        #expect(response.header("x-amz-request-id") == nil)
        // Names that are not ASCII compare as their lower-cased forms do.
        #expect(HTTPResponse(status: 200, headers: [(name: "X-Größe", value: "1")]).header("x-GRÖSSE") == nil)
        #expect(HTTPResponse(status: 200, headers: [(name: "X-Ä", value: "1")]).header("x-ä") == "1")
        #expect(response.isSuccess)
        #expect(!HTTPResponse(status: 404).isSuccess)
    }
}
