import Foundation
import Testing
import TrailWardenScan

@Suite struct Configuration {
    static let exampleURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("accounts.example.json")

    /// The smallest useful file: discovery from the scanner's own account.
    static let minimal = #"{"organization": {}, "roles": {"default": "TrailWardenAudit"}}"#

    private func parse(_ json: String) throws(ConfigurationError) -> ScanConfiguration {
        try ScanConfiguration.parse(Data(json.utf8), file: "accounts.json")
    }

    /// The one-line message `json` is refused with.
    private func failure(_ json: String) -> String {
        do {
            _ = try parse(json)
            return "accepted"
        } catch {
            return error.description
        }
    }

    // MARK: The example file

    @Test func exampleLoadsWithItsValues() throws {
        let config = try ScanConfiguration.load(path: Self.exampleURL.path)
        #expect(config.partition == "aws" && config.globalRegion == "us-east-1")
        #expect(config.organization.discover && config.organization.managementAccountId == "111111111111")
        #expect(config.organization.readerRoleARN(partition: config.partition) == "arn:aws:iam::111111111111:role/OrganizationAccountReader")
        #expect(config.accounts.include == ["222222222222"] && config.accounts.exclude == ["333333333333"])
        #expect(config.defaultRole.target == .name("TrailWardenAudit"))
        #expect(config.defaultRole.externalId == "trailwarden-example-external-id")
        #expect(config.role(for: "222222222222").roleARN(account: "222222222222", partition: "aws") == "arn:aws:iam::222222222222:role/TrailWardenAudit")
        let legacy = config.role(for: "444444444444")
        #expect(legacy.roleARN(account: "444444444444", partition: "aws") == "arn:aws:iam::444444444444:role/legacy/LegacyAudit")
        #expect(legacy.externalId == "trailwarden-example-external-id", "overrides inherit what they leave out")
        #expect(config.trails.discover && config.trails.explicit.count == 1)
        let trail = try #require(config.trails.explicit.first)
        #expect(trail.arn.name == "org" && trail.arn.accountID == "111111111111")
        #expect(trail.bucket == "aws-controltower-logs-555555555555-us-east-1" && trail.prefix == "o-a1b2c3d4e5")
        #expect(trail.organizationId == "o-a1b2c3d4e5" && trail.regions == .list(["us-east-1", "eu-west-1"]))
        #expect(config.regions == .discover)
        let bucket = try #require(config.buckets["aws-controltower-logs-555555555555-us-east-1"])
        #expect(bucket.accountId == "555555555555" && bucket.role.externalId == "trailwarden-log-archive")
        #expect(bucket.roleARN(partition: "aws") == "arn:aws:iam::555555555555:role/TrailWardenLogArchiveReader")
        #expect(config.limits.requestsInFlight == 64 && config.limits.accountsInParallel == 8 && config.limits.requestsPerAccount == 16)
        #expect(config.statePath == "trailwarden.sqlite" && config.firstScanLookbackDays == 7)
        #expect(config.alarms.sns.map(\.region) == ["us-east-1"])
        #expect(config.alarms.cloudwatch?.namespace == "TrailWarden" && config.alarms.cloudwatch?.region == "us-east-1")
        #expect(config.alarms.webhooks.map(\.url.absoluteString) == ["https://hooks.example.com/trailwarden"])
        #expect(config.includes(account: "999999999999") && !config.includes(account: "333333333333"))
        #expect(config.namedAccounts == ["222222222222", "111111111111"])
    }

    /// docs/config.md's JSON examples are real configurations.
    @Test func documentedExamplesParse() throws {
        let doc = try String(contentsOf: Self.exampleURL.deletingLastPathComponent().appendingPathComponent("docs/config.md"), encoding: .utf8)
        let blocks = doc.components(separatedBy: "```json\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        #expect(blocks.count == 3)
        for block in blocks {
            #expect(throws: Never.self) { try ScanConfiguration.parse(Data(block.utf8), file: "config.md") }
        }
    }

    @Test func missingAndDirectoryFilesAreErrors() {
        do {
            _ = try ScanConfiguration.load(path: "/nonexistent/accounts.json")
            Issue.record("accepted")
        } catch {
            #expect(error.description == "/nonexistent/accounts.json: the file does not exist")
        }
        let directory = Self.exampleURL.deletingLastPathComponent().path
        #expect(throws: ConfigurationError.self) { try ScanConfiguration.load(path: directory) }
    }

    // MARK: Defaults

    @Test func defaults() throws {
        let config = try parse(Self.minimal)
        #expect(config.partition == "aws" && config.globalRegion == "us-east-1")
        #expect(config.organization.discover && config.organization.managementAccountId == nil)
        #expect(config.organization.readerRoleARN(partition: "aws") == nil)
        #expect(config.accounts.include.isEmpty && config.accounts.exclude.isEmpty)
        #expect(config.defaultRole.target == .name("TrailWardenAudit") && config.defaultRole.externalId == nil)
        #expect(config.defaultRole.sessionName == "trailwarden" && config.defaultRole.durationSeconds == 3600)
        #expect(config.roleOverrides.isEmpty)
        #expect(config.trails.discover && config.trails.explicit.isEmpty)
        #expect(config.regions == .discover && config.buckets.isEmpty)
        #expect(config.limits.requestsInFlight == 64 && config.limits.accountsInParallel == 8 && config.limits.requestsPerAccount == 16)
        #expect(config.statePath == "trailwarden.sqlite" && config.firstScanLookbackDays == 7)
        #expect(config.alarms.sns.isEmpty && config.alarms.cloudwatch == nil && config.alarms.webhooks.isEmpty)
    }

    @Test func partitionSetsTheGlobalRegion() throws {
        let china = try parse(#"{"partition": "aws-cn", "accounts": {"include": ["222222222222"]}, "roles": {"default": "Audit"}}"#)
        #expect(china.globalRegion == "cn-north-1")
        #expect(china.role(for: "222222222222").roleARN(account: "222222222222", partition: china.partition)
            == "arn:aws-cn:iam::222222222222:role/Audit")
        #expect(failure(#"{"partition": "aws-iso", "organization": {}, "roles": {"default": "A"}}"#)
            == #"accounts.json: the file needs "globalRegion" for the partition "aws-iso""#)
    }

    @Test func listedTrailsTurnDiscoveryOffUnlessAsked() throws {
        let trail = #"{"arn": "arn:aws:cloudtrail:eu-west-1:222222222222:trail/main"}"#
        let only = try parse(#"{"trails": {"explicit": [\#(trail)]}, "roles": {"default": "A"}}"#)
        #expect(!only.trails.discover && only.trails.explicit.first?.regions == nil)
        #expect(only.includes(account: "222222222222") && !only.includes(account: "999999999999"))
        let both = try parse(#"{"trails": {"discover": true, "explicit": [\#(trail)]}, "roles": {"default": "A"}}"#)
        #expect(both.trails.discover)
    }

    @Test func perAccountLimitFollowsASmallerTotal() throws {
        let config = try parse(#"{"organization": {}, "roles": {"default": "A"}, "limits": {"requestsInFlight": 4}}"#)
        #expect(config.limits.requestsPerAccount == 4)
        // The plan's shared cap is the configuration's, until --max-requests says otherwise.
        let plan = ScanPlan(configuration: config)
        #expect(plan.requestsInFlight == 4 && plan.requestsPerAccount == 4)
        #expect(failure(#"{"organization": {}, "roles": {"default": "A"}, "limits": {"requestsInFlight": 4, "requestsPerAccount": 8}}"#)
            == "accounts.json: limits.requestsPerAccount (8) cannot exceed limits.requestsInFlight (4)")
    }

    /// The run records the hash of the very bytes that were parsed (here, as `sha256sum` prints it).
    @Test func theConfigurationsSHA256IsOfItsBytesAndReachesThePlan() throws {
        let config = try parse(#"{"organization": {}, "roles": {"default": "A"}}"#)
        #expect(config.sha256 == "7fae6195ce2d854a2d59eec90030205fee20160ea62a91d5e6a824632bb15918")
        #expect(ScanPlan(configuration: config).configurationSHA256 == config.sha256)
        #expect(try parse(#"{"organization": {},  "roles": {"default": "A"}}"#).sha256 != config.sha256)
    }

    // MARK: Roles

    @Test func roleARNFromNameAndTemplate() throws {
        let config = try parse(#"""
        {"organization": {"role": "arn:{partition}:iam::999999999999:role/OrgReader"},
         "roles": {"default": {"arn": "arn:aws:iam::{account}:role/ops/Audit", "durationSeconds": 7200},
                   "accounts": {"444444444444": {"name": "Legacy", "sessionName": "nightly"},
                                "555555555555": "arn:aws:iam::555555555555:role/Fixed"}}}
        """#)
        #expect(config.organization.readerRoleARN(partition: "aws") == "arn:aws:iam::999999999999:role/OrgReader")
        #expect(config.role(for: "222222222222").roleARN(account: "222222222222", partition: "aws")
            == "arn:aws:iam::222222222222:role/ops/Audit")
        let legacy = config.role(for: "444444444444")
        #expect(legacy.roleARN(account: "444444444444", partition: "aws") == "arn:aws:iam::444444444444:role/Legacy")
        #expect(legacy.sessionName == "nightly" && legacy.durationSeconds == 7200)
        #expect(config.role(for: "555555555555").roleARN(account: "555555555555", partition: "aws")
            == "arn:aws:iam::555555555555:role/Fixed")
    }

    // MARK: Error messages

    @Test(arguments: [
        (#"{"organization": {}, "roles": {"default": {"name": "A", "durationSeconds": "1h"}}}"#,
         #"accounts.json: roles.default.durationSeconds must be a whole number from 900 to 43200, not "1h""#),
        (#"{"organization": {}, "roles": {"default": {"name": "A", "durationSeconds": 60}}}"#,
         "accounts.json: roles.default.durationSeconds must be a whole number from 900 to 43200, not 60"),
        (#"{"organization": {}, "acounts": {}, "roles": {"default": "A"}}"#,
         #"accounts.json: unknown key "acounts" (did you mean "accounts"?)"#),
        (#"{"organization": {}, "roles": {"default": {"nmae": "A"}}}"#,
         #"accounts.json: unknown key "nmae" in roles.default (did you mean "name"?)"#),
        (#"{"organization": {}, "roles": {"default": "A"}, "limits": {"speed": 1}}"#,
         #"accounts.json: unknown key "speed" in limits (expected "requestsInFlight", "accountsInParallel", "requestsPerAccount")"#),
        (#"{"organization": {}}"#, #"accounts.json: the file is missing the key "roles""#),
        (#"{"organization": {}, "roles": {}}"#, #"accounts.json: roles is missing the key "default""#),
        (#"{"organization": {}, "roles": {"default": {"externalId": "abc"}}}"#,
         #"accounts.json: roles.default needs "name" or "arn""#),
        (#"{"organization": {}, "roles": {"default": {"name": "A", "arn": "arn:aws:iam::{account}:role/A"}}}"#,
         #"accounts.json: roles.default has both "name" and "arn"; give one"#),
        (#"{"organization": {}, "roles": {"default": "arn:aws:iam::{account}:user/A"}}"#,
         #"accounts.json: roles.default must be a role ARN like "arn:aws:iam::{account}:role/NAME", not "arn:aws:iam::{account}:user/A""#),
        (#"{"organization": {}, "roles": {"default": "A", "accounts": {"4444": "B"}}}"#,
         "accounts.json: roles.accounts.4444 is not a 12-digit account id"),
        (#"{"roles": {"default": "A"}}"#,
         "accounts.json: the file names no accounts to scan: set organization.discover to true, list accounts in accounts.include, or list trails in trails.explicit"),
        (#"{"organization": {"discover": "yes"}, "roles": {"default": "A"}}"#,
         #"accounts.json: organization.discover must be true or false, not "yes""#),
        (#"{"organization": {"role": "Reader"}, "roles": {"default": "A"}}"#,
         "accounts.json: organization.role needs organization.managementAccountId to say which account it is in (or give a full role ARN)"),
        (#"{"accounts": {"include": ["22222222222"]}, "roles": {"default": "A"}}"#,
         #"accounts.json: accounts.include[0] must be a 12-digit account id, not "22222222222""#),
        (#"{"accounts": {"include": ["222222222222"], "exclude": ["222222222222"]}, "roles": {"default": "A"}}"#,
         #"accounts.json: accounts lists 222222222222 in both "include" and "exclude""#),
        (#"{"organization": {}, "roles": {"default": "A"}, "regions": ["us-east-1", "Europe"]}"#,
         #"accounts.json: regions[1] must be a region like "us-east-1", not "Europe""#),
        (#"{"organization": {}, "roles": {"default": "A"}, "regions": "all"}"#,
         #"accounts.json: regions must be a list of regions or "discover", not "all""#),
        (#"{"organization": {}, "roles": {"default": "A"}, "regions": []}"#,
         #"accounts.json: regions must be a non-empty list of regions or "discover", not a list"#),
        (#"{"trails": {"explicit": [{"arn": "arn:aws:cloudtrail:us-east-1:1111:trail/x"}]}, "roles": {"default": "A"}}"#,
         #"accounts.json: trails.explicit[0].arn must be a trail ARN like "arn:aws:cloudtrail:us-east-1:111111111111:trail/NAME", not "arn:aws:cloudtrail:us-east-1:1111:trail/x""#),
        (#"{"trails": {"explicit": [{"bucket": "b-b-b"}]}, "roles": {"default": "A"}}"#,
         #"accounts.json: trails.explicit[0] is missing the key "arn""#),
        (#"{"trails": {"discover": false}, "roles": {"default": "A"}, "organization": {}}"#,
         #"accounts.json: trails neither discovers trails nor lists any: set "discover" to true or list trails in "explicit""#),
        (#"{"organization": {}, "roles": {"default": "A"}, "buckets": {"Bad_Bucket": {"accountId": "555555555555", "role": "R"}}}"#,
         #"accounts.json: buckets.Bad_Bucket is not an S3 bucket name (3 to 63 lower-case letters, digits, dots or hyphens)"#),
        (#"{"organization": {}, "roles": {"default": "A"}, "buckets": {"logs.example": {"role": "R"}}}"#,
         #"accounts.json: buckets["logs.example"] is missing the key "accountId""#),
        (#"{"organization": {}, "roles": {"default": "A"}, "firstScanLookbackDays": 7.5}"#,
         "accounts.json: firstScanLookbackDays must be a whole number from 1 to 3650, not 7.5"),
        (#"{"organization": {}, "roles": {"default": "A"}, "alarms": {"webhooks": [{"url": "http://hooks.example.com/x"}]}}"#,
         #"accounts.json: alarms.webhooks[0].url must be an https:// URL (or http://127.0.0.1 for tests), not "http://hooks.example.com/x""#),
        (#"{"organization": {}, "roles": {"default": "A"}, "alarms": {"sns": [{"topicArn": "arn:aws-cn:sns:cn-north-1:111111111111:t"}]}}"#,
         #"accounts.json: alarms.sns[0].topicArn is in the partition "aws-cn", but the configuration's partition is "aws""#),
        (#"{"organization": {}, "roles": {"default": "A"}, "alarms": {"cloudwatch": {"namespace": "AWS/CloudTrail"}}}"#,
         #"accounts.json: alarms.cloudwatch.namespace must be a CloudWatch namespace (1 to 255 letters, digits or .-_/#: characters, not starting with "AWS/"), not "AWS/CloudTrail""#),
        (#"{"organization": {}, "organization": {}, "roles": {"default": "A"}}"#,
         #"accounts.json: the file has the key "organization" twice"#),
        ("", "accounts.json: the file is empty; it must hold a JSON object"),
        ("[1, 2]", "accounts.json: the file must be an object, not a list"),
        ("{\n  \"roles\": {\n    \"default\": \"A\"\n  \n", "accounts.json: invalid JSON at line 5, column 1: unexpected end of file"),
        ("{\"a\": 1 // note\n}", #"accounts.json: invalid JSON at line 1, column 9: expected "," or "}""#),
        ("{\"a\": // note\n}", "accounts.json: invalid JSON at line 1, column 7: comments are not allowed in JSON"),
    ])
    func errorMessage(json: String, message: String) {
        #expect(failure(json) == message)
    }

    @Test func errorsCarryTheKeyPath() {
        do {
            _ = try parse(#"{"organization": {}, "roles": {"default": {"name": "A", "durationSeconds": true}}}"#)
            Issue.record("accepted")
        } catch {
            #expect(error.path == "roles.default.durationSeconds" && error.file == "accounts.json")
        }
    }

    // MARK: Never a crash

    @Test func truncatedExampleAlwaysThrowsAConfigurationError() throws {
        let example = try Data(contentsOf: Self.exampleURL)
        for length in stride(from: 0, to: example.count - 1, by: 37) {
            #expect(throws: ConfigurationError.self, "cut at \(length)") {
                try ScanConfiguration.parse(example.prefix(length), file: "accounts.json")
            }
        }
    }

    /// Replaces each value of the example, at every depth, by a value of every
    /// type; each result must parse or throw a one-line error.
    @Test func flippedTypesAtEveryLevelThrowOrParse() throws {
        let example = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.exampleURL))
        let replacements: [Any] = [NSNull(), true, 42, 1.5, "text", [Any](), ["x": 1], [[Any]()], -1e300]
        var variants = 0
        var refused = 0
        for path in Self.paths(in: example) {
            for replacement in replacements {
                let flipped = Self.replacing(path, in: example, with: replacement)
                let data = try JSONSerialization.data(withJSONObject: flipped)
                variants += 1
                do {
                    _ = try ScanConfiguration.parse(data, file: "accounts.json")
                } catch {
                    refused += 1
                    #expect(error.description.hasPrefix("accounts.json: ") && !error.description.contains("\n"))
                }
            }
        }
        #expect(variants > 300 && refused > variants * 3 / 4)
    }

    @Test func hostileDocumentsAreRefused() {
        let deep = String(repeating: "[", count: 100_000)
        for text in [deep, "{\"a\":\"\\ud800\"}", "{\"a\":\"\\u12\"}", "{\"a\": -}", "{\"a\": 01}", "{\"a\": tru}",
                     "\u{FEFF}", "null", "\"x\"", "{\"a\":1}}", "{\"a\":\"\u{01}\"}", "{1:2}"] {
            #expect(throws: ConfigurationError.self, "\(text.prefix(20))") { try parse(text) }
        }
        let invalidUTF8 = Data([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D])
        #expect(throws: ConfigurationError.self) { try ScanConfiguration.parse(invalidUTF8, file: "accounts.json") }
    }

    // MARK: Fuzzing helpers

    private static func paths(in value: Any, at path: [Any] = []) -> [[Any]] {
        var result = path.isEmpty ? [] : [path]
        if let object = value as? [String: Any] {
            for (key, member) in object { result += paths(in: member, at: path + [key]) }
        } else if let array = value as? [Any] {
            for (index, element) in array.enumerated() { result += paths(in: element, at: path + [index]) }
        }
        return result
    }

    private static func replacing(_ path: [Any], in value: Any, with replacement: Any) -> Any {
        guard let step = path.first else { return replacement }
        let rest = Array(path.dropFirst())
        if var object = value as? [String: Any], let key = step as? String {
            object[key] = replacing(rest, in: object[key] as Any, with: replacement)
            return object
        }
        if var array = value as? [Any], let index = step as? Int {
            array[index] = replacing(rest, in: array[index], with: replacement)
            return array
        }
        return value
    }
}
