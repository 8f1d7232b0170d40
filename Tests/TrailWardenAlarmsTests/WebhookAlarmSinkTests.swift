import Foundation
import Testing
import TrailWardenHTTP
import TrailWardenTestSupport
@testable import TrailWardenAlarms

/// Webhook alarms and delivery retries against the HTTP test server's recording `/hook` route.
@Suite struct WebhookAlarmSinkTests {
    /// What `/hook-log` says `/hook` received.
    private struct HookRequest: Decodable {
        let headers: [[String]]
        let body_base64: String
        let status: Int

        func header(_ name: String) -> String? { headers.first { $0[0].lowercased() == name.lowercased() }?[1] }
        var body: Data { Data(base64Encoded: body_base64) ?? Data() }
    }

    private struct Received: Decodable {
        let text: String
        let trailwarden: WebhookPayload.Notice
    }

    private let http = CurlHTTPClient()

    private func hookLog(_ server: TestHTTPServer, _ name: String) async throws -> [HookRequest] {
        let response = try await http.send(HTTPRequest(url: server.url("/hook-log?name=\(name)")))
        return try JSONDecoder().decode([HookRequest].self, from: Data(response.body))
    }

    private func sink(_ server: TestHTTPServer, _ pathAndQuery: String) throws -> WebhookAlarmSink {
        WebhookAlarmSink(http: http, url: try #require(URL(string: server.url(pathAndQuery))), timeout: .seconds(10))
    }

    @Test func theWebhookReceivesTheNoticeAsJSON() async throws {
        try await TestHTTPServer.with { server in
            let notice = SampleNotices.notice(findings: 40)
            try await sink(server, "/hook?name=json&token=secret").deliver(notice)
            let requests = try await hookLog(server, "json")
            try #require(requests.count == 1)
            #expect(requests[0].header("Content-Type") == "application/json")
            let received = try JSONDecoder().decode(Received.self, from: requests[0].body)
            #expect(received.text == AlarmText(notice).chatText())
            #expect(received.text.hasPrefix("*TrailWarden: 40 new findings in 2 accounts (scan 12)*"))
            #expect(received.trailwarden.findings == notice.findings.map(WebhookPayload.Finding.init))
            #expect(received.trailwarden.findings.first?.firstSeen == "2026-01-01T04:21:42Z")
            #expect(received.trailwarden.accounts.map(\.accountID) == ["111111111111", "222222222222"])
            #expect(received.trailwarden.counts["invalid-log"] == 7 && received.trailwarden.counts["posture"] == 6)
            #expect(received.trailwarden.runId == 12 && !received.trailwarden.test && received.trailwarden.finishedAt == "2026-01-01T05:21:42Z")
        }
    }

    @Test func aPostureFindingHasANullRegion() throws {
        let json = try #require(String(bytes: try WebhookPayload(SampleNotices.notice(findings: 6)).encoded(), encoding: .utf8))
        #expect(json.contains(#""region":null"#))
        #expect(json.contains(#""region":"us-east-1""#))
    }

    @Test func aFailingWebhookIsTriedTheGivenNumberOfTimesAndNamedWithoutItsSecret() async throws {
        try await TestHTTPServer.with { server in
            let sink = try sink(server, "/hook?name=down&fail=1000&token=secret")
            let result = await AlarmDelivery.deliver(SampleNotices.notice(findings: 2), to: sink, attempts: 4, delay: { _ in .zero })
            #expect(result.attempts == 4)
            #expect(try await hookLog(server, "down").count == 4)
            let error = try #require(result.error)
            #expect(error == "\(sink.target): answered HTTP 500")
            #expect(!error.contains("secret") && !error.contains("/hook"))
            #expect(result.target == sink.target && !result.isDelivered)
        }
    }

    @Test func aWebhookFailingOnceIsDeliveredOnTheSecondAttempt() async throws {
        try await TestHTTPServer.with { server in
            let sink = try sink(server, "/hook?name=flaky&fail=1")
            let result = await AlarmDelivery.deliver(SampleNotices.notice(findings: 2), to: sink, attempts: 3, delay: { _ in .zero })
            #expect(result == AlarmDeliveryResult(target: sink.target, attempts: 2, error: nil))
            #expect(try await hookLog(server, "flaky").map(\.status) == [500, 200])
        }
    }

    @Test func aRedirectIsNotFollowed() async throws {
        try await TestHTTPServer.with { server in
            let sink = try sink(server, "/redirect")
            let result = await AlarmDelivery.deliver(SampleNotices.notice(findings: 1), to: sink, attempts: 1, delay: { _ in .zero })
            #expect(result.error == "\(sink.target): answered HTTP 302")
        }
    }

    @Test func theTargetHidesUserInformationPathAndQuery() throws {
        let url = try #require(URL(string: "https://bot:p4ss@Hooks.Example.com/services/T000/B000/XyZsecret?token=abc123"))
        let target = WebhookAlarmSink.target(for: url)
        #expect(target.hasPrefix("webhook:https://hooks.example.com#"))
        #expect(target.count == "webhook:https://hooks.example.com#".count + 12)
        for secret in ["bot", "p4ss", "services", "XyZsecret", "abc123"] { #expect(!target.contains(secret)) }
        let otherQuery = try #require(URL(string: "https://bot:p4ss@Hooks.Example.com/services/T000/B000/XyZsecret?token=abc124"))
        #expect(WebhookAlarmSink.target(for: otherQuery) != target)
        #expect(WebhookAlarmSink.target(for: url) == target)
        let withPort = try #require(URL(string: "http://127.0.0.1:8080/hook"))
        #expect(WebhookAlarmSink.target(for: withPort).hasPrefix("webhook:http://127.0.0.1:8080#"))
    }
}
