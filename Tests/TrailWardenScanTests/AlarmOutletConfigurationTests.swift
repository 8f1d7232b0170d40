import Foundation
import Testing
import TrailWardenAlarms
import TrailWardenScan

/// `alarms.securityHub`, `alarms.eventBridge` and webhook signing secrets in the configuration.
@Suite struct AlarmOutletConfigurationTests {
    private func parse(_ alarms: String) throws(ConfigurationError) -> ScanConfiguration.AlarmTargets {
        try ScanConfiguration.parse(Data(#"{"organization": {}, "roles": {"default": "A"}, "alarms": \#(alarms)}"#.utf8), file: "accounts.json").alarms
    }

    private func failure(_ alarms: String) -> String {
        do {
            _ = try parse(alarms)
            return "accepted"
        } catch {
            return error.description
        }
    }

    @Test func defaultsComeFromTheGlobalRegionAndTheNamedARNs() throws {
        let plain = try parse(#"{"securityHub": {}, "eventBridge": {}}"#)
        #expect(plain.securityHub?.region == "us-east-1" && plain.securityHub?.productArn == nil)
        #expect(plain.eventBridge?.eventBusName == "default" && plain.eventBridge?.region == "us-east-1")
        #expect(!plain.isEmpty)
        let named = try parse(#"""
            {"securityHub": {"productArn": "arn:aws:securityhub:eu-west-1:111111111111:product/111111111111/default"},
             "eventBridge": {"eventBusName": "arn:aws:events:eu-central-1:111111111111:event-bus/security"},
             "webhooks": [{"url": "https://h.example.com/a", "secretEnv": "HOOK_SECRET"}, {"url": "https://h.example.com/b", "secretFile": "/run/s"},
                          {"url": "https://h.example.com/c"}]}
            """#)
        #expect(named.securityHub?.region == "eu-west-1")
        #expect(named.eventBridge?.region == "eu-central-1")
        #expect(named.webhooks.map(\.secret) == [.environment("HOOK_SECRET"), .file("/run/s"), nil])
        #expect(try parse(#"{"securityHub": {"region": "ap-south-1"}}"#).securityHub?.region == "ap-south-1")
    }

    @Test func brokenOutletsAreRefusedNamingTheKey() {
        let cases = [
            (#"{"securityHub": {"productArn": "arn:aws:sns:us-east-1:111111111111:t"}}"#,
             #"accounts.json: alarms.securityHub.productArn must be a Security Hub product ARN like "arn:aws:securityhub:us-east-1:111111111111:product/111111111111/default", not "arn:aws:sns:us-east-1:111111111111:t""#),
            (#"{"securityHub": {"productArn": "arn:aws-cn:securityhub:cn-north-1:111111111111:product/1/default"}}"#,
             #"accounts.json: alarms.securityHub.productArn is in the partition "aws-cn", but the configuration's partition is "aws""#),
            (#"{"securityHub": {"hub": "x"}}"#, #"accounts.json: unknown key "hub" in alarms.securityHub"#),
            (#"{"eventBridge": {"eventBusName": "bad bus"}}"#,
             #"accounts.json: alarms.eventBridge.eventBusName must be an event bus name (1 to 256 letters, digits or ._-/ characters) or an event bus ARN, not "bad bus""#),
            (#"{"webhooks": [{"url": "https://h.example.com", "secretEnv": "1X"}]}"#,
             #"accounts.json: alarms.webhooks[0].secretEnv must be an environment variable's name (letters, digits and _, not starting with a digit), not "1X""#),
            (#"{"webhooks": [{"url": "https://h.example.com", "secretEnv": "A", "secretFile": "/s"}]}"#,
             "accounts.json: alarms.webhooks[0].secretFile cannot be given with secretEnv: name one place for the signing secret"),
        ]
        for (alarms, message) in cases {
            let refusal = failure(alarms)
            #expect(refusal.hasPrefix(message), "\(alarms)")
        }
    }
}
