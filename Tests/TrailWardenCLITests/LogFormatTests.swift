import Foundation
import Testing
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
        #expect(types.filter { $0 == "finding" }.count == world.expectedFindings.count)
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
