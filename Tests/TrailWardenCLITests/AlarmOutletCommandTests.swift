import Foundation
import Testing
import TrailWardenTestSupport

/// `trailwarden alarm test` reaches Security Hub (both of its targets) and
/// EventBridge in moto, each on its own line.
@Suite struct AlarmOutletCommandTests {
    @Test func alarmTestImportsATestFindingAndPutsATestEvent() throws {
        let region = "eu-north-1"
        let bus = "tw-cli-\(UUID().uuidString.prefix(8))"
        let queue = try #require((try Emulator.admin(["event-queue", bus, region]) as? [String: String])?["QueueUrl"])
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("tw-outlets-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: config) }
        try Data(#"""
            {"organization": {}, "roles": {"default": "TrailWardenAudit"},
             "alarms": {"securityHub": {"region": "\#(region)"}, "eventBridge": {"eventBusName": "\#(bus)", "region": "\#(region)"}}}
            """#.utf8).write(to: config)
        let run = try Processes.run(Processes.trailwarden, ["alarm", "test", "--config", config.path],
                                    environment: try Emulator.environment(Emulator.defaultCredentials))
        #expect(run.code == 0, "\(run.standardError)")
        #expect(run.standardOutput == "eventbridge:\(bus)@\(region)\tdelivered\n"
                + "securityhub-resolved:default@\(region)\tdelivered\nsecurityhub:default@\(region)\tdelivered\n")
        let findings = try #require(try Emulator.admin(["securityhub-findings", region]) as? [[String: Any]])
        #expect(findings.map { $0["Id"] as? String } == ["trailwarden-alarm-test-123456789012"])
        let events = try #require(try Emulator.admin(["receive", queue, region]) as? [[String: Any]])
        #expect(events.map { $0["detail-type"] as? String } == ["TrailWarden Alarm Test"])
    }
}
