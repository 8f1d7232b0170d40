import Foundation
import Testing
import TrailWardenAlarms
import TrailWardenHTTP
import TrailWardenReports
import TrailWardenTestSupport
@testable import TrailWardenCLI

/// Alarms as operators see them: archive scans by the real binary, with the
/// configuration's webhooks on the loopback test server, which records every
/// request (`/hook?name=X&fail=N` fails the first N requests of X with HTTP 500).
@Suite struct AlarmCommandTests {
    static let tampering = "log-modify,digest-delete,link-break"

    /// What `/hook-log` says `/hook` received.
    struct HookRequest: Decodable {
        let body_base64: String
        let status: Int

        /// The webhook payload, as far as these tests read it.
        struct Payload: Decodable {
            struct Notice: Decodable {
                struct Finding: Decodable { let kind: String; let object: String }
                let runId: Int64
                let test: Bool
                let findings: [Finding]
            }
            let text: String
            let trailwarden: Notice
        }

        func payload() throws -> Payload {
            try JSONDecoder().decode(Payload.self, from: Data(base64Encoded: body_base64) ?? Data())
        }

        /// The findings it carried, as "kind object".
        func findings() throws -> [String] {
            try payload().trailwarden.findings.map { "\($0.kind) \($0.object)" }
        }
    }

    let http = CurlHTTPClient()

    func hookLog(_ server: TestHTTPServer, _ name: String) async throws -> [HookRequest] {
        let response = try await http.send(HTTPRequest(url: server.url("/hook-log?name=\(name)")))
        return try JSONDecoder().decode([HookRequest].self, from: Data(response.body))
    }

    static func target(_ url: String) throws -> String {
        WebhookAlarmSink.target(for: try #require(URL(string: url)))
    }

    static func decodeReport(_ text: String) throws -> ComplianceReport {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(ComplianceReport.self, from: Data(text.utf8))
    }

    static func findingSet(_ report: ComplianceReport) -> Set<String> {
        Set(report.accounts.flatMap { $0.postureFindings + $0.chains.flatMap(\.findings) }.map { "\($0.kind) \($0.object)" })
    }

    @Test func aFailingTargetKeepsItsFindingsForTheNextScanAndTheOthersGetThemOnce() async throws {
        try await TestHTTPServer.with { server in
            let healthy = server.url("/hook?name=healthy")
            // Fails scan one's three attempts, then answers.
            let flaky = server.url("/hook?name=flaky&fail=3")
            let world = try await ArchiveScanWorld(tamper: Self.tampering, webhooks: [healthy, flaky])
            defer { world.remove() }
            let healthyTarget = try Self.target(healthy), flakyTarget = try Self.target(flaky)

            let report = world.folder.appendingPathComponent("first.json")
            let first = try await world.scan(["--report", report.path])
            #expect(first.code == 3, "\(first.standardError)")
            let findings = Self.findingSet(try Self.decodeReport(try String(contentsOf: report, encoding: .utf8)))
            #expect(findings == world.expectedFindings)
            let n = findings.count

            let received = try await hookLog(server, "healthy")
            try #require(received.count == 1)
            #expect(received[0].status == 200)
            let carried = try received[0].findings()
            #expect(Set(carried) == findings && carried.count == n)
            #expect(try received[0].payload().trailwarden.test == false)
            #expect(try await hookLog(server, "flaky").map(\.status) == [500, 500, 500])
            #expect(first.standardOutput.contains("alarm \(healthyTarget): delivered, \(n) findings, 1 attempts\n"))
            #expect(first.standardOutput.contains("alarm \(flakyTarget): failed, \(n) findings, 3 attempts: \(flakyTarget): answered HTTP 500\n"),
                    "\(first.standardOutput)")

            // Nothing new: the healthy target hears nothing; the flaky one now gets run one's findings, once.
            // Run one's findings are still open: exit code 1 (docs/scan.md#exit-codes).
            let second = try await world.scan()
            #expect(second.code == 1, "\(second.standardError)")
            #expect(try await hookLog(server, "healthy").count == 1)
            let retried = try await hookLog(server, "flaky")
            try #require(retried.count == 4)
            #expect(retried[3].status == 200)
            let late = try retried[3].findings()
            #expect(Set(late) == findings && late.count == n)
            #expect(second.standardOutput.contains("alarm \(healthyTarget): nothing-new, 0 findings, 0 attempts\n"))
            #expect(second.standardOutput.contains("alarm \(flakyTarget): delivered, \(n) findings, 1 attempts\n"))

            // And then nobody hears anything.
            let third = try await world.scan()
            #expect(third.code == 1, "\(third.standardError)")
            #expect(try await hookLog(server, "healthy").count == 1)
            #expect(try await hookLog(server, "flaky").count == 4)
            #expect(third.standardOutput.contains("alarm \(healthyTarget): nothing-new, 0 findings, 0 attempts\n"))
            #expect(third.standardOutput.contains("alarm \(flakyTarget): nothing-new, 0 findings, 0 attempts\n"))
        }
    }

    @Test func noAlarmsSendsNothingAndTheNextScanDeliversOnce() async throws {
        try await TestHTTPServer.with { server in
            let hook = server.url("/hook?name=dry")
            let world = try await ArchiveScanWorld(tamper: Self.tampering, webhooks: [hook])
            defer { world.remove() }
            let target = try Self.target(hook)
            let n = world.expectedFindings.count

            let dry = try await world.scan(["--no-alarms"])
            #expect(dry.code == 1, "\(dry.standardError)")
            #expect(try await hookLog(server, "dry").isEmpty)
            #expect(dry.standardOutput.contains("alarm \(target): skipped, \(n) findings, 0 attempts\n"), "\(dry.standardOutput)")

            // The dry run's findings are still open: exit code 1 (docs/scan.md#exit-codes).
            let next = try await world.scan()
            #expect(next.code == 1, "\(next.standardError)")
            let received = try await hookLog(server, "dry")
            try #require(received.count == 1)
            let carried = try received[0].findings()
            #expect(Set(carried) == world.expectedFindings && carried.count == n)
            #expect(next.standardOutput.contains("alarm \(target): delivered, \(n) findings, 1 attempts\n"))

            #expect(try await world.scan().code == 1)
            #expect(try await hookLog(server, "dry").count == 1)
        }
    }

    @Test func alarmTestSendsAMarkedMessageToEveryTarget() async throws {
        try await TestHTTPServer.with { server in
            let healthy = server.url("/hook?name=test-ok")
            let world = try await ArchiveScanWorld(tamper: Self.tampering, webhooks: [healthy])
            defer { world.remove() }
            let healthyTarget = try Self.target(healthy)

            let delivered = try await trailwardenBinary(["alarm", "test", "--config", world.config.path])
            #expect(delivered.code == 0, "\(delivered.standardError)")
            #expect(delivered.standardOutput == "\(healthyTarget)\tdelivered\n")
            #expect(delivered.standardError.isEmpty)
            let received = try await hookLog(server, "test-ok")
            try #require(received.count == 1)
            let payload = try received[0].payload()
            #expect(payload.trailwarden.test)
            #expect(payload.trailwarden.findings.isEmpty)

            // The test announced nothing: the first scan still delivers every finding.
            #expect(try await world.scan().code == 1)
            let afterScan = try await hookLog(server, "test-ok")
            try #require(afterScan.count == 2)
            #expect(Set(try afterScan[1].findings()) == world.expectedFindings)
            #expect(try afterScan[1].payload().trailwarden.test == false)

            // A failing target: one attempt, FAILED on its line, exit 3; the healthy one is still served.
            let failing = server.url("/hook?name=test-down&fail=1000")
            let failingTarget = try Self.target(failing)
            let both = world.folder.appendingPathComponent("both.json")
            try world.writeConfiguration(to: both, webhooks: [healthy, failing])
            let failed = try await trailwardenBinary(["alarm", "test", "--config", both.path])
            #expect(failed.code == 3, "\(failed.standardError)")
            let lines = failed.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 3 && lines.last == "")
            #expect(lines.contains("\(healthyTarget)\tdelivered"))
            #expect(lines.contains("\(failingTarget)\tFAILED: \(failingTarget): answered HTTP 500"), "\(failed.standardOutput)")
            #expect(try await hookLog(server, "test-down").count == 1)
            #expect(try await hookLog(server, "test-ok").count == 3)

            // No alarms configured: a usage error naming the file.
            let none = world.folder.appendingPathComponent("none.json")
            try world.writeConfiguration(to: none, webhooks: [])
            let unconfigured = try await trailwardenBinary(["alarm", "test", "--config", none.path])
            #expect(unconfigured.code == 2)
            #expect(unconfigured.standardError
                    == "trailwarden alarm test: error: \(none.path): alarms: no target is configured (sns, cloudwatch, webhooks, securityHub or eventBridge)\n")
            #expect(unconfigured.standardOutput.isEmpty)
        }
    }

    @Test func theWebhookSecretIsNeverShown() async throws {
        try await TestHTTPServer.with { server in
            let secret = "s3cr3t-\(UUID().uuidString)"
            let healthy = server.url("/hook?name=secret-ok&token=\(secret)")
            let failing = server.url("/hook?name=secret-down&fail=1000&token=\(secret)")
            let world = try await ArchiveScanWorld(tamper: Self.tampering, webhooks: [healthy, failing])
            defer { world.remove() }

            let scan = try await world.scan(quiet: false)
            #expect(scan.code == 3, "\(scan.standardError)")
            #expect(try await hookLog(server, "secret-ok").count == 1)
            #expect(try await hookLog(server, "secret-down").count == 3)
            let failingTarget = try Self.target(failing)
            #expect(scan.standardOutput.contains(failingTarget) && scan.standardError.contains(failingTarget))
            #expect(!scan.standardOutput.contains(secret) && !scan.standardError.contains(secret))

            let report = try await world.report(["--format", "json"])
            #expect(report.code == 0, "\(report.standardError)")
            let targets = try Self.decodeReport(report.standardOutput).runs.flatMap(\.alarms).map(\.target)
            #expect(Set(targets) == [try Self.target(healthy), try Self.target(failing)])
            #expect(!report.standardOutput.contains(secret))
            for format in ["md", "csv"] {
                let other = try await world.report(["--format", format])
                #expect(other.code == 0 && !other.standardOutput.contains(secret), "\(format)")
            }

            let test = try await trailwardenBinary(["alarm", "test", "--config", world.config.path])
            #expect(test.code == 3)
            #expect(!test.standardOutput.contains(secret) && !test.standardError.contains(secret))
        }
    }
}
