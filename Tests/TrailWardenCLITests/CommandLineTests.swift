import Foundation
import Testing
import TrailWardenTestSupport
import TrailWardenCore
import TrailWardenSimulation
import TrailWardenStorage
@testable import TrailWardenCLI
import TrailWardenVocabulary

/// Usage errors are one clear line and exit 2; failures to read are exit 3.
@Suite struct CommandLineTests {
    static let arn = "arn:aws:cloudtrail:us-east-1:100000000001:trail/management-events"

    func expectUsageError(_ arguments: [String], _ message: String, sourceLocation: SourceLocation = #_sourceLocation) async {
        let run = await Run(arguments)
        #expect(run.code == 2, sourceLocation: sourceLocation)
        #expect(run.standardError == message + "\n", sourceLocation: sourceLocation)
        #expect(run.standardOutput.isEmpty, sourceLocation: sourceLocation)
    }

    @Test func helpAndUnknownCommands() async {
        let bare = await Run([])
        #expect(bare.code == 2)
        #expect(bare.standardOutput.contains("Commands:"))
        let help = await Run(["validate", "--help"])
        #expect(help.code == 0)
        #expect(help.standardOutput.contains("--check-unreferenced"))
        await expectUsageError(["frobnicate"], "trailwarden: error: unknown command \"frobnicate\"; commands: validate, scan, report, alarm test, simulate, demo, version, completion, man")
    }

    @Test func validateUsageErrors() async {
        let base = ["validate", "--trail-arn", Self.arn, "--start-time", "2026-01-01T00:00:00Z", "--end-time", "2026-01-02T00:00:00Z",
                    "--s3-bucket", "b", "--store", "file:///nonexistent", "--public-keys", "/nonexistent/keys.json"]
        await expectUsageError(["validate"], "trailwarden validate: error: missing required option --trail-arn")
        await expectUsageError(["validate", "--trail-arn", "arn:nope"], "trailwarden validate: error: Invalid trail ARN provided: arn:nope")
        await expectUsageError(["validate", "--trail-arn", Self.arn, "--start-time", "yesterday"],
                               "trailwarden validate: error: --start-time: Unable to parse date value: yesterday "
                               + "(use ISO 8601 such as 2026-01-01T00:00:00Z, 2026-01-01T02:00+02:00 or 2026-01-01, or epoch seconds)")
        await expectUsageError(["validate", "--trail-arn", Self.arn, "--start-time", "2026-01-02T00:00:00Z", "--end-time", "2026-01-01T00:00:00Z"],
                               "trailwarden validate: error: Invalid time range specified: start-time must occur before end-time")
        await expectUsageError(base + ["--bogus"], "trailwarden validate: error: unknown option --bogus")
        await expectUsageError(base + ["--format", "xml"], "trailwarden validate: error: --format must be text or json, not \"xml\"")
        await expectUsageError(base + ["--verbose=yes"], "trailwarden validate: error: --verbose takes no value")
        await expectUsageError(base + ["--concurrency", "0"], "trailwarden validate: error: --concurrency must be a whole number from 1 to 1024, not \"0\"")
        await expectUsageError(base + ["--account-id", "12"], "trailwarden validate: error: --account-id must be a 12-digit account id, not \"12\"")
        await expectUsageError(base + ["--start-time", "2026-01-01T00:00:00Z"], "trailwarden validate: error: --start-time given more than once")
        await expectUsageError(base, "trailwarden validate: error: --public-keys /nonexistent/keys.json: no such file")
        await expectUsageError(Array(base.dropLast(2)), "trailwarden validate: error: --public-keys is required with --store")
        await expectUsageError(base.map { $0 == "file:///nonexistent" ? "s3://bucket/x" : $0 },
                               "trailwarden validate: error: --store takes file:///ROOT; to read S3, leave --store out and name the bucket with --s3-bucket")
    }

    @Test func badKeyFilesNameTheFileAndField() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tw-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let notJSON = folder.appendingPathComponent("keys.txt")
        try Data("not json".utf8).write(to: notJSON)
        let notRSA = folder.appendingPathComponent("ec.json")
        try Data(#"{"PublicKeyList":[{"Value":"bm90IGEga2V5"}]}"#.utf8).write(to: notRSA)
        let base = ["validate", "--trail-arn", Self.arn, "--start-time", "2026-01-01T00:00:00Z", "--s3-bucket", "b", "--store", "file://" + folder.path]
        await expectUsageError(base + ["--public-keys", notJSON.path], "trailwarden validate: error: \(notJSON.path): (document) is not a JSON object")
        // A key that is not RSA still loads: like the reference, TrailWarden reports it on each digest that
        // names it. Here the run then stops at the missing bucket, which is exit 3.
        let run = await Run(base + ["--public-keys", notRSA.path])
        #expect(run.code == 3)
        #expect(run.standardError == "trailwarden validate: error: s3://b: no such bucket in \(folder.path)\n")
    }

    @Test func jsonOutputCarriesCountsAndFindings() async throws {
        let world = try await SimulatedWorld(["--accounts", "2", "--regions", "us-east-1", "--hours", "24", "--logs-per-digest", "2",
                                              "--tamper", "digests-delete-run"])
        defer { world.remove() }
        let chain = try #require(world.manifest.chains.first { !$0.expectedFindings.isEmpty })
        let run = await Run(["validate"] + world.validateArguments(chain, start: world.manifest.start, end: world.manifest.end) + ["--format", "json"])
        #expect(run.code == 1)
        #expect(run.standardError.isEmpty)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        #expect(report["intact"] as? Bool == false)
        #expect(report["schemaVersion"] as? Int == 1)
        let counts = try #require(report["counts"] as? [String: Int])
        #expect(counts["invalidDigests"] == 1)
        #expect(counts["additionalMissingDigests"] == 2)
        let findings = try #require(report["findings"] as? [[String: Any]])
        #expect(Set(findings.compactMap { $0["kind"] as? String }) == ["digest-not-found", "digests-missing"])
        #expect(findings.first { $0["kind"] as? String == "digests-missing" }?["count"] as? Int == 2)
        #expect((report["gaps"] as? [[String: Any]])?.count == 1)
    }

    @Test func simulateRefusesAFolderInUseAndBadKinds() async throws {
        let world = try await SimulatedWorld(["--accounts", "1", "--regions", "us-east-1", "--hours", "12", "--logs-per-digest", "1"])
        defer { world.remove() }
        await expectUsageError(["simulate", "--out", "file://" + world.root.path],
                               "trailwarden simulate: error: --out \(world.root.path) is not empty; simulate into a new or empty folder")
        await expectUsageError(["simulate", "--out", "file:///tmp/x", "--tamper", "log-modify,explode"],
                               "trailwarden simulate: error: --tamper: unknown kind \"explode\"; known: all, " + TamperKind.allCases.map(\.rawValue).joined(separator: ", "))
        await expectUsageError(["simulate", "--out", "file:///tmp/x", "--hours", "3"],
                               "trailwarden simulate: error: --hours must be a whole number from 12 to 8784, not \"3\"")
        await expectUsageError(["simulate", "--out", "relative://x"], "trailwarden simulate: error: --out relative://x: expected file:///PATH")
        await expectUsageError(["simulate", "--out", "file:///tmp/x", "--large-factor", "3"],
                               "trailwarden simulate: error: --large-factor goes with --large-accounts")
        await expectUsageError(["simulate", "--out", "file:///tmp/x", "--accounts", "2", "--large-accounts", "3"],
                               "trailwarden simulate: error: --large-accounts must be a whole number from 0 to 2, not \"3\"")
        await expectUsageError(["simulate", "--out", "file:///tmp/x", "--large-accounts", "1", "--large-factor", "1"],
                               "trailwarden simulate: error: --large-factor must be a whole number from 2 to 1000, not \"1\"")
        await expectUsageError(["simulate", "--out", "file:///tmp/x", "--large-accounts", "1", "--large-factor", "1000"],
                               "trailwarden simulate: error: --logs-per-digest × --large-factor must be 10000 or less, not 20000")
    }

    @Test func demoScansTwiceAndReportsEveryTamperingAndNothingElse() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let run = await Run(["demo", "--out", "file://" + root.path])
        #expect(run.code == 0)
        #expect(run.standardOutput.contains("Every tampering was reported, and nothing else; the second scan resumed from the checkpoints."))
        #expect(!run.standardOutput.contains("MISMATCH"))
        #expect(run.standardOutput.contains("INVALID: not referenced by any digest file"))
        // The second scan resumes from the first one's checkpoints: nothing new to validate.
        #expect(run.standardOutput.contains("5 chains: 0 digests valid, 0 invalid; 0 log files valid, 0 invalid; 0 findings, 0 errors"))
        // Standard error carries the first scan's INVALID lines, for log metric filters, and nothing else.
        let lines = run.standardError.split(separator: "\n")
        #expect(!lines.isEmpty && lines.allSatisfy { $0.contains("\tINVALID: ") })
        let report = root.appendingPathComponent("report-1.json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        #expect((json["summary"] as? [String: Any])?["findings"] as? Int == lines.count)

        // The HTML report of both scans renders in a real browser with a timeline per chain.
        let html = root.appendingPathComponent("report.html")
        let page = try HeadlessBrowser.locate().load(html)
        #expect(page.consoleMessages.isEmpty)
        #expect(page.dom.components(separatedBy: "<svg").count - 1 >= 5)
    }
}

@Suite struct ReferenceTextRendererTests {
    let start = CloudTrailTime.parse("2026-01-01T00:00:00Z")!
    let end = CloudTrailTime.parse("2026-01-02T00:00:00Z")!
    let digest = ObjectLocation(bucket: "b", key: "k")

    @Test func noValidDigestsInRange() {
        let output = CapturedOutput()
        let renderer = ReferenceTextRenderer(output: output, verbose: false)
        var tally = ValidationTally()
        let event = ValidationEvent.digestInvalid(digest, .standard, .signatureVerificationFailed)
        tally.record(event, requestedStart: start, requestedEnd: end)
        renderer.event(event)
        renderer.summary(tally, start: start, end: end)
        #expect(output.standardError == "Digest file\ts3://b/k\tINVALID: signature verification failed\n\n")
        #expect(output.standardOutput == "Results requested for 2026-01-01T00:00:00Z to 2026-01-02T00:00:00Z\nNo valid digests found in range\n\n0/1 digest files valid, 1/1 digest files INVALID\n")
    }

    @Test func verboseLinesAndBlankLineRhythm() {
        let output = CapturedOutput()
        let renderer = ReferenceTextRenderer(output: output, verbose: true)
        renderer.event(.digestValid(digest, .standard, start: start, end: end))
        renderer.event(.logInvalid(ObjectLocation(bucket: "b", key: "l"), .notFound))
        renderer.event(.gap(.backfill, from: start, to: end))
        #expect(output.standardOutput == "Digest file\ts3://b/k\tvalid\n")
        #expect(output.standardError == "\nLog file\ts3://b/l\tINVALID: not found\n\n(backfill) No log files were delivered by CloudTrail between 2026-01-01T00:00:00Z and 2026-01-02T00:00:00Z\n\n")
    }
}

@Suite struct AWSSessionTests {
    func arguments(_ list: [String]) throws -> ParsedArguments {
        try ArgumentParser.parse(list, options: [AWSSession.endpointOption, AWSSession.maxRequestsOption])
    }

    @Test func endpointComesFromTheOptionThenTheEnvironment() throws {
        let environment = ["AWS_ENDPOINT_URL": "http://127.0.0.1:4566", "AWS_DEFAULT_REGION": "eu-west-1"]
        let fromEnvironment = try AWSSession(arguments([]), fallbackRegion: "us-east-1", environment: environment)
        #expect(fromEnvironment.transport.endpointOverride == "http://127.0.0.1:4566")
        #expect(fromEnvironment.region == "eu-west-1")
        let fromOption = try AWSSession(arguments(["--endpoint-url", "http://127.0.0.1:5000"]), fallbackRegion: "us-east-1", environment: environment)
        #expect(fromOption.transport.endpointOverride == "http://127.0.0.1:5000")
        let unset = try AWSSession(arguments([]), fallbackRegion: "us-east-1", environment: ["AWS_ENDPOINT_URL": ""])
        #expect(unset.transport.endpointOverride == nil)
        #expect(unset.region == "us-east-1")
    }

    @Test func aBadEndpointNamesWhereItCameFrom() throws {
        #expect(throws: UsageError.self) { try AWSSession(arguments(["--endpoint-url", "localhost:1"]), fallbackRegion: "us-east-1", environment: [:]) }
        do {
            _ = try AWSSession(arguments([]), fallbackRegion: "us-east-1", environment: ["AWS_ENDPOINT_URL": "localhost:1"])
            Issue.record("accepted a bad AWS_ENDPOINT_URL")
        } catch let error as UsageError {
            #expect(error.description == "AWS_ENDPOINT_URL must be an http:// or https:// URL, not \"localhost:1\"")
        }
    }

    @Test func aFileURLDecodesItsPercentEscapesAndAPlainPathDoesNot() throws {
        #expect(try StoreURL.localRoot("file:///data/path%20with%20spaces", option: "store").path == "/data/path with spaces")
        #expect(try StoreURL.localRoot("file:///data/100%25", option: "store").path == "/data/100%")
        #expect(try StoreURL.localRoot("/data/path%20kept", option: "store").path == "/data/path%20kept")
        #expect(throws: UsageError.self) { try StoreURL.localRoot("file:///data/50%", option: "store") }
        #expect(throws: UsageError.self) { try StoreURL.localRoot("file://data", option: "store") }
    }
}
