import Foundation
import Testing
import TrailWardenScan
import TrailWardenState
import TrailWardenVocabulary
@testable import TrailWardenCLI

/// `scan --log-format json`: every line on standard error is one JSON object
/// with `time` and `type` (docs/cli.md), for log pipelines.
@Suite struct LogFormatTests {
    func lines(_ run: Run) throws -> [[String: Any]] {
        try run.standardError.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let parsed = try #require(object, "not a JSON object: \(line)")
            #expect(parsed["time"] is String && parsed["type"] is String, "\(line)")
            return parsed
        }
    }

    @Test func aScanLogsProgressFindingsAndItsSummaryAsJSONLines() async throws {
        let world = try await ArchiveScanWorld(tamper: "log-modify")
        defer { world.remove() }
        let run = try await world.scan(["--log-format", "json"], quiet: false)
        #expect(run.code == 1, "\(run.standardError)")
        let logged = try lines(run)
        let types = logged.compactMap { $0["type"] as? String }
        #expect(types.contains("progress"))
        let findings = logged.filter { $0["type"] as? String == "finding" }
        #expect(Set(findings.map { "\($0["kind"] as? String ?? "") \($0["object"] as? String ?? "")" }) == world.expectedFindings)
        for finding in findings {
            let kind = FindingKind(rawValue: try #require(finding["kind"] as? String))
            let identity = FindingIdentity(accountID: try #require(finding["account"] as? String),
                                           trailARN: try #require(finding["trailARN"] as? String),
                                           sourceRegion: try #require(finding["region"] as? String), kind: kind,
                                           object: try #require(finding["object"] as? String))
            #expect(finding["id"] as? String == identity.uid, "\(finding)")
            #expect(finding["severity"] as? String == kind.severity.rawValue)
            #expect(identity.trailARN.hasPrefix("arn:aws:cloudtrail:"))
            #expect((finding["message"] as? String)?.contains("INVALID") == true)
        }
        #expect(types.last == "summary")
        let summary = try #require(logged.last)
        #expect(summary["exitCode"] as? Int == 1)
        let totals = try #require(summary["totals"] as? [String: Any])
        #expect(totals["findings"] as? Int == world.expectedFindings.count)
        #expect(!run.standardError.contains("\u{1B}"))
        // Standard output is still the report, in --format's choice.
        #expect(run.standardOutput.hasPrefix("TrailWarden scan "))

        let quiet = try await world.scan(["--log-format", "json", "--full"], quiet: true)
        let quietTypes = try lines(quiet).compactMap { $0["type"] as? String }
        #expect(!quietTypes.contains("progress"))
        #expect(quietTypes.last == "summary")

        // An error of the run (an account that is not configured): its own line, then exit 3 in the summary.
        let unknownAccount = try await world.scan(["--log-format", "json", "--account", "999999999999"], quiet: true)
        #expect(unknownAccount.code == 3)
        let errorLines = try lines(unknownAccount).filter { $0["type"] as? String == "error" }
        #expect(errorLines.map { $0["message"] as? String } == ["--account 999999999999 is not among the configured or discovered accounts"])
        #expect(try lines(unknownAccount).last?["exitCode"] as? Int == 3)
    }

    @Test func aPostureFindingHasNoRegionAndTheExportsId() throws {
        let recorded = RecordedFinding(kind: .regionUncovered, object: "111111111111/eu-west-3",
                                       message: "Region\t111111111111/eu-west-3\tINVALID: no trail logs this region")
        let event = ScanFindingEvent(finding: recorded, identity: FindingIdentity(
            accountID: "111111111111", trailARN: recorded.object, sourceRegion: nil, kind: recorded.kind, object: recorded.object))
        let output = CapturedOutput()
        let progress = ProgressReporter(output: output, style: .json, quiet: true, clock: { Date(timeIntervalSince1970: 0) })
        progress.permanent(recorded.message, fields: ScanLogLines.fields(of: event))
        let line = try #require(try JSONSerialization.jsonObject(with: Data(output.standardError.utf8)) as? [String: Any])
        #expect(line["type"] as? String == "finding")
        #expect(line["region"] is NSNull)
        #expect(line["severity"] as? String == "medium")
        #expect(line["kind"] as? String == "region-uncovered")
        #expect(line["id"] as? String == event.identity.uid && event.id.count == 64)
        #expect(line["message"] as? String == recorded.message)
        // The text format prints the INVALID line alone, as before.
        let text = CapturedOutput()
        ProgressReporter(output: text, style: .lines, quiet: true).permanent(recorded.message, fields: ScanLogLines.fields(of: event))
        #expect(text.standardError == recorded.message + "\n")
    }

    @Test func aFailedScanIsAnErrorLineAndASummary() async throws {
        let run = try await trailwardenBinary(["scan", "--log-format", "json", "--config", "/nonexistent/accounts.json"])
        #expect(run.code == 2)
        let logged = try lines(run)
        #expect(logged.count == 2)
        #expect(logged.first?["type"] as? String == "error")
        #expect(logged.first?["fatal"] as? Bool == true)
        #expect(logged.first?["message"] as? String == "--config /nonexistent/accounts.json: no such file")
        #expect(logged.last?["type"] as? String == "summary")
        #expect(logged.last?["exitCode"] as? Int == 2)
    }

    @Test func textStaysTheDefaultAndABadFormatIsRefused() async {
        let bad = await Run(["scan", "--log-format", "xml"])
        #expect(bad.code == 2)
        #expect(bad.standardError == "trailwarden scan: error: --log-format must be text or json, not \"xml\"\n")
        let missing = await Run(["scan", "--config", "/nonexistent/accounts.json"])
        #expect(missing.standardError == "trailwarden scan: error: --config /nonexistent/accounts.json: no such file\n")
    }
}
