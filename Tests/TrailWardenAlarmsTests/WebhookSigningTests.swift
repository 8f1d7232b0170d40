import Foundation
import Testing
import TrailWardenCrypto
import TrailWardenHTTP
import TrailWardenTestSupport
@testable import TrailWardenAlarms

/// Signed webhooks: the documented string is signed, the receiver's check in
/// docs/config.md accepts what is sent, and a missing secret fails the delivery.
@Suite struct WebhookSigningTests {
    private struct HookRequest: Decodable {
        let headers: [[String]]
        let body_base64: String

        func header(_ name: String) -> String? { headers.first { $0[0].lowercased() == name.lowercased() }?[1] }
        var body: Data { Data(base64Encoded: body_base64) ?? Data() }
    }

    private let http = CurlHTTPClient()

    @Test func theSignatureIsTheHMACOfTimestampDotBody() {
        let signature = WebhookSigning.signature(secret: Array("key".utf8), timestamp: "1767244902", body: Array(#"{"a":1}"#.utf8))
        #expect(signature == "sha256=" + Hex.encode(HMAC.sha256(key: Array("key".utf8), message: #"1767244902.{"a":1}"#)))
    }

    @Test func aSignedPostVerifiesWithTheDocumentedPythonCheck() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tw-sign-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let secretFile = directory.appendingPathComponent("secret")
        try Data("s3cr3t-value\n".utf8).write(to: secretFile)
        try await TestHTTPServer.with { server in
            let url = try #require(URL(string: server.url("/hook?name=signed")))
            let sink = WebhookAlarmSink(http: http, url: url, signing: WebhookSigning(.file(secretFile.path)),
                                        clock: { SampleNotices.finishedAt })
            try await sink.deliver(SampleNotices.notice(findings: 3))
            let response = try await http.send(HTTPRequest(url: server.url("/hook-log?name=signed")))
            let requests = try JSONDecoder().decode([HookRequest].self, from: Data(response.body))
            try #require(requests.count == 1)
            let timestamp = try #require(requests[0].header("X-TrailWarden-Timestamp"))
            let signature = try #require(requests[0].header("X-TrailWarden-Signature"))
            #expect(timestamp == "1767244902")
            let bodyFile = directory.appendingPathComponent("body")
            try requests[0].body.write(to: bodyFile)
            // The receiver's snippet of docs/config.md, run as a receiver would.
            let check = """
                import hashlib, hmac, sys
                secret = open(sys.argv[1], "rb").read().rstrip(b"\\r\\n ")
                body = open(sys.argv[2], "rb").read()
                timestamp, signature = sys.argv[3], sys.argv[4]
                expected = "sha256=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
                sys.exit(0 if hmac.compare_digest(expected, signature) else 1)
                """
            let good = try Processes.run("python3", ["-c", check, secretFile.path, bodyFile.path, timestamp, signature])
            #expect(good.code == 0)
            let forged = try Processes.run("python3", ["-c", check, secretFile.path, bodyFile.path, "1767244903", signature])
            #expect(forged.code == 1)
        }
    }

    @Test func aMissingSecretFailsTheDeliveryWithoutSendingIt() async throws {
        let variable = "TRAILWARDEN_TEST_UNSET_\(UUID().uuidString.prefix(8).uppercased())"
        let sink = WebhookAlarmSink(http: http, url: try #require(URL(string: "http://127.0.0.1:9/never")),
                                    signing: WebhookSigning(.environment(variable)))
        let result = await AlarmDelivery.deliver(SampleNotices.notice(findings: 1), to: sink, attempts: 1)
        #expect(result.error == "\(sink.target): the signing secret's secretEnv \(variable) is not set")
    }
}
