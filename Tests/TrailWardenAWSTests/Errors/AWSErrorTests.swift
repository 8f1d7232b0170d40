import Foundation
import Testing
import TrailWardenHTTP
@testable import TrailWardenAWS

@Suite struct AWSErrorTests {
    func response(_ status: Int, _ body: String, headers: [(name: String, value: String)] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers, body: Array(body.utf8))
    }

    @Test func queryErrorResponse() {
        let body = """
            <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <Error>
                <Type>Sender</Type>
                <Code>ExpiredToken</Code>
                <Message>The security token included in the request is expired</Message>
              </Error>
              <RequestId>4e0f5a8c-5d7a-4b8e-9f1e-EXAMPLE00002</RequestId>
            </ErrorResponse>
            """
        let error = AWSError(response: response(400, body))
        #expect(error == AWSError(code: "ExpiredToken", message: "The security token included in the request is expired",
                                  requestID: "4e0f5a8c-5d7a-4b8e-9f1e-EXAMPLE00002", status: 400))
        #expect(error.description == "ExpiredToken: The security token included in the request is expired "
            + "(HTTP 400, request ID 4e0f5a8c-5d7a-4b8e-9f1e-EXAMPLE00002)")
    }

    @Test func s3RESTXMLError() {
        let body = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>AWSLogs/x.json.gz</Key>\
            <RequestId>4442587FB7D0A2F9</RequestId><HostId>host-id</HostId></Error>
            """
        let error = AWSError(response: response(404, body, headers: [("x-amz-request-id", "header-id")]))
        #expect(error == AWSError(code: "NoSuchKey", message: "The specified key does not exist.", requestID: "4442587FB7D0A2F9", status: 404))
    }

    @Test func ec2StyleError() {
        let body = "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors>"
            + "<RequestID>ec2-request</RequestID></Response>"
        let error = AWSError(response: response(503, body))
        #expect(error == AWSError(code: "RequestLimitExceeded", message: "Request limit exceeded.", requestID: "ec2-request", status: 503))
        #expect(error.isThrottling)
    }

    @Test func jsonProtocolErrors() {
        let qualified = AWSError(response: response(400, #"{"__type":"com.amazonaws.cloudtrail.v20131101#TrailNotFoundException","message":"Unknown trail"}"#,
                                                    headers: [("x-amzn-RequestId", "json-request")]))
        #expect(qualified == AWSError(code: "TrailNotFoundException", message: "Unknown trail", requestID: "json-request", status: 400))
        let headerType = AWSError(response: response(400, #"{"Message":"Rate exceeded"}"#,
                                                     headers: [("X-Amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/")]))
        #expect(headerType.code == "ThrottlingException")
        #expect(headerType.message == "Rate exceeded")
        #expect(headerType.isRetryable)
    }

    /// An answer without an error document is not the service's: a proxy's page is retried, whatever its status.
    @Test func bareStatus() {
        var notFound = AWSError(code: "404", message: "Not Found", status: 404)
        notFound.isServiceAnswer = false
        #expect(AWSError(response: response(404, "")) == notFound)
        var proxy = AWSError(code: "599", message: "HTTP status 599", status: 599)
        proxy.isServiceAnswer = false
        #expect(AWSError(response: response(599, "<html>proxy</html>")) == proxy)
        #expect(AWSError(response: response(404, "<html><body><h1>404 Not Found</h1></body></html>")).isRetryable)
        #expect(AWSError(response: response(403, "")).isRetryable)
        #expect(!AWSError(response: response(403, "<Error><Code>AccessDenied</Code><Message>no</Message></Error>")).isRetryable)
        #expect(!AWSError(response: response(404, "<Error><Code>NoSuchKey</Code><Message>gone</Message></Error>")).isRetryable)
    }

    @Test func sanitizesJSONTypes() {
        #expect(AWSError.sanitizedJSONErrorType("aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/") == "FooError")
        #expect(AWSError.sanitizedJSONErrorType("FooError") == "FooError")
    }
}

@Suite struct XMLTreeTests {
    @Test func readsPathsTextAndCDATA() throws {
        let tree = try XMLTree.parse(Array("""
            <?xml version="1.0"?>
            <Root xmlns="urn:x" a="1"><One><Two>text &amp; more</Two></One><Item>1</Item><Item><![CDATA[<two>]]></Item></Root>
            """.utf8))
        #expect(tree.name == "Root")
        #expect(tree.attributes["a"] == "1")
        #expect(tree.value("One", "Two") == "text & more")
        #expect(tree.children(named: "Item").map(\.text) == ["1", "<two>"])
        #expect(tree.value("One", "Missing") == nil)
        #expect(tree.first(named: "Two")?.text == "text & more")
    }

    @Test func rejectsMalformedDocuments() {
        #expect(throws: XMLTree.ParseError.self) { try XMLTree.parse(Array("<a><b></a>".utf8)) }
        #expect(throws: XMLTree.ParseError.self) { try XMLTree.parse([]) }
    }

    @Test func doesNotResolveExternalEntities() throws {
        let document = """
            <?xml version="1.0"?><!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/hostname">]><r>&secret;</r>
            """
        let text = (try? XMLTree.parse(Array(document.utf8)))?.text ?? ""
        let hostname = (try? String(contentsOfFile: "/etc/hostname", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "-"
        #expect(hostname.isEmpty || !text.contains(hostname))
    }
}
