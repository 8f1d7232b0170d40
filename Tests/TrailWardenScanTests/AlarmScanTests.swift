import Foundation
import Testing
@testable import TrailWardenAlarms
import TrailWardenAWS
import TrailWardenCore
import TrailWardenHTTP
import TrailWardenState
import TrailWardenTestSupport
@testable import TrailWardenScan
import TrailWardenVocabulary

/// The acceptance: a tampered organization scanned twice raises each
/// finding exactly once on every target (SNS through SQS, CloudWatch metrics,
/// webhooks), and a target that fails keeps its findings for the next scan.
@Suite(.serialized) struct AlarmScanTests {
    private struct HookRequest: Decodable {
        let body_base64: String
        let status: Int
        var body: Data { Data(base64Encoded: body_base64) ?? Data() }
    }

    private struct HookBody: Decodable {
        let text: String
        let trailwarden: WebhookPayload.Notice
    }

    private static func hookLog(_ server: TestHTTPServer, _ name: String) async throws -> [HookRequest] {
        let response = try await Emulator.http.send(HTTPRequest(url: server.url("/hook-log?name=\(name)")))
        return try JSONDecoder().decode([HookRequest].self, from: Data(response.body))
    }

    /// The webhook deliveries that were accepted, decoded.
    private static func delivered(_ server: TestHTTPServer, _ name: String) async throws -> [HookBody] {
        try await hookLog(server, name).filter { $0.status == 200 }.map { try JSONDecoder().decode(HookBody.self, from: $0.body) }
    }

    /// Metric name (and account, when per account) → values in publication order.
    private static func metrics(_ namespace: String) throws -> [String: [Double]] {
        let listed = try #require(try Emulator.admin(["metrics", namespace, "us-east-1"]) as? [[String: Any]])
        var values = [String: [Double]]()
        for metric in listed {
            let name = try #require(metric["MetricName"] as? String)
            let account = (metric["Dimensions"] as? [[String: String]])?.first?["Value"]
            values[account.map { "\(name) \($0)" } ?? name] = metric["Values"] as? [Double]
        }
        return values
    }

    @Test func eachFindingIsRaisedExactlyOncePerTargetAndAFailedTargetCatchesUpNextScan() async throws {
        let organization = try await ScanCoordinatorTests.organization(tampers: [.digestDelete, .logModify, .linkBreak, .logInject])
        let security = try await Emulator.credentials(for: organization.management)
        let topic = try #require(try Emulator.admin(["subscribed-queue", "tw-scan-alarms-\(UUID().uuidString.prefix(8))", "us-east-1"],
                                                     as: security) as? [String: String])
        let queueURL = try #require(topic["QueueUrl"])
        let namespace = "TrailWarden/Test\(UUID().uuidString.prefix(8))"
        let transport = try Emulator.transport(security)
        let state = try SQLiteStateStore(path: organization.statePath)

        try await TestHTTPServer.with { server in
            let healthy = try #require(URL(string: server.url("/hook?name=healthy&token=secret")))
            // Fails every attempt of the first scan (3), then answers.
            let flaky = try #require(URL(string: server.url("/hook?name=flaky&fail=3")))
            let sinks: [any AlarmSink] = [
                SNSAlarmSink(client: SNSClient(transport: transport, region: "us-east-1"), topicARN: try #require(topic["TopicArn"])),
                CloudWatchAlarmSink(client: CloudWatchClient(transport: transport, region: "us-east-1"), namespace: namespace, region: "us-east-1"),
                WebhookAlarmSink(http: Emulator.http, url: healthy),
                WebhookAlarmSink(http: Emulator.http, url: flaky),
            ]
            let dispatcher = AlarmDispatcher(sinks: sinks, state: state, attempts: 3, retryDelay: { _ in .zero })
            func scan() async throws -> ScanReport {
                try await ScanCoordinator(plan: organization.plan,
                                          source: AWSScanSource(session: AWSTransport(http: Emulator.http, credentials: StaticCredentialProvider(Emulator.defaultCredentials),
                                                                             endpointOverride: try Emulator.endpoint()), region: "us-east-1"),
                                          state: state, alarms: dispatcher).run(request: "{}")
            }

            // Scan one: every target but the flaky webhook gets every finding.
            let first = try await scan()
            let findings = try await state.findings(chain: nil)
            let expected = Set(findings.map { "\($0.kind) \($0.object)" })
            #expect(findings.count == first.totals.findings && !findings.isEmpty)
            func statuses(_ report: ScanReport) -> [String] {
                sinks.map { sink in report.alarms.first { $0.target == sink.target }?.status.rawValue ?? "absent" }
            }
            #expect(statuses(first) == ["delivered", "delivered", "delivered", "failed"])
            #expect(first.alarms.first { $0.target == WebhookAlarmSink.target(for: flaky) }?.attempts == 3)
            #expect(first.hasErrors)

            let messages = try #require(try Emulator.admin(["receive", queueURL, "us-east-1"], as: security) as? [[String: Any]])
            let bodies = messages.compactMap { $0["Message"] as? String }.joined(separator: "\n")
            #expect(!messages.isEmpty)
            for finding in findings {
                #expect(bodies.components(separatedBy: finding.object).count - 1 >= 1, "\(finding.object) not in the SNS message")
            }

            let healthyFirst = try await Self.delivered(server, "healthy")
            #expect(healthyFirst.count == 1)
            #expect(Set(healthyFirst.flatMap(\.trailwarden.findings).map { "\($0.kind) \($0.object)" }) == expected)
            #expect(healthyFirst.flatMap(\.trailwarden.findings).count == expected.count)
            #expect(try await Self.hookLog(server, "flaky").map(\.status) == [500, 500, 500])

            let afterFirst = try Self.metrics(namespace)
            let categories = FindingCategory.allCases.map(\.metricName)
            #expect(categories.map { afterFirst[$0]?.first ?? 0 }.reduce(0, +) == Double(expected.count))
            #expect(afterFirst["ScanCompleted"] == [1])
            #expect(afterFirst["ChainsValidated"] == [Double(first.totals.chains)])

            // Scan two, nothing new: SNS and the healthy webhook hear nothing; CloudWatch gets
            // zeros and the heartbeat; the flaky webhook gets scan one's findings, once.
            let second = try await scan()
            #expect(second.totals.findings == 0)
            #expect(statuses(second) == ["nothing-new", "delivered", "nothing-new", "delivered"])
            #expect(!second.hasErrors)
            #expect(try #require(try Emulator.admin(["receive", queueURL, "us-east-1"], as: security) as? [[String: Any]]).isEmpty)
            #expect(try await Self.delivered(server, "healthy").count == 1)
            let flakyDelivered = try await Self.delivered(server, "flaky")
            #expect(flakyDelivered.count == 1)
            #expect(flakyDelivered.first?.trailwarden.findings.count == expected.count)
            #expect(Set(flakyDelivered.flatMap(\.trailwarden.findings).map { "\($0.kind) \($0.object)" }) == expected)
            let afterSecond = try Self.metrics(namespace)
            #expect(categories.map { afterSecond[$0]?.last ?? -1 }.allSatisfy { $0 == 0 })
            #expect(afterSecond["ScanCompleted"] == [1, 1])

            // Nothing is pending anywhere, and the state remembers what each target did.
            for sink in sinks { #expect(try await state.pendingAlarms(target: sink.target).isEmpty) }
            let outline = try await state.outline(.init(from: .distantPast, to: .distantFuture, accounts: [], run: nil))
            #expect(outline.alarmOutcomes.count == 8)
            #expect(!bodies.contains("secret") && !first.text().contains("secret"))
        }
    }
}
