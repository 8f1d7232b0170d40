import Foundation
import Testing
import TrailWardenAWS
import TrailWardenScan
import TrailWardenSimulation
import TrailWardenState
import TrailWardenTestSupport
import TrailWardenVocabulary
@testable import TrailWardenCLI

/// `--state` templates as an operator of Kubernetes or Batch writes them: two shards with a
/// template state in S3 (the emulator), one report from the template, a resize to three whose
/// new states import from the old layout's and report as one unsharded scan; the same with
/// local states; and the templates refused (exit 2) before anything is read or written.
@Suite(.serialized) struct StateTemplateCommandTests {
    let states = RemoteStateTests()
    let resize = ShardResizeCommandTests()

    /// Runs the binary against the emulator, waiting a bounded time.
    func run(_ arguments: [String]) throws -> (code: Int32, output: String, errors: String) {
        let output = states.root.appendingPathComponent("out-\(UUID().uuidString)"), errors = states.root.appendingPathComponent("err-\(UUID().uuidString)")
        try Data().write(to: output)
        try Data().write(to: errors)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Processes.trailwarden)
        process.arguments = arguments
        process.environment = try Emulator.environment(Emulator.defaultCredentials)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        let code = resize.wait(process)
        return (code, try String(contentsOf: output, encoding: .utf8), try String(contentsOf: errors, encoding: .utf8))
    }

    @Test func shardsWithATemplateStateInS3ReportAndResizeAsWithAPrefix() async throws {
        defer { try? FileManager.default.removeItem(at: states.root) }
        let (manifest, config) = try await states.prepare()
        let accounts = Set(manifest.chains.map(\.chain.accountID))
        try #require(accounts.contains { ShardAssignment.shard(of: $0, count: 2) != ShardAssignment.shard(of: $0, count: 3) })
        let until = CloudTrailTime.display(Date())
        // Placeholders in two parts of the key: the listing descends from "nightly/".
        let template = "s3://\(states.bucket)/nightly/{count}/tw-{index}.sqlite"
        let whole = states.root.appendingPathComponent("whole.sqlite").path
        #expect(await Run(states.scanArguments(config, state: whole, until: until)).code == 1)
        #expect(await Run(states.scanArguments(config, state: whole, until: until)).code == 1)

        // Night 1: two shards side by side, each state and lease at the template's name.
        let night1 = try (0..<2).map { try states.start(states.scanArguments(config, state: template, until: until, ["--shard", "\($0)/2", "--scan-id", "night-1"])) }
        #expect(night1.map { resize.wait($0) }.allSatisfy { [0, 1].contains($0) })
        for index in 0..<2 {
            #expect(try await states.client().headObjectETag(bucket: states.bucket, key: "nightly/2/tw-\(index).sqlite") != nil)
            #expect(try await states.client().headObjectETag(bucket: states.bucket, key: "nightly/2/tw-\(index).sqlite.lease") == nil)
        }
        let period = ["--from", CloudTrailTime.display(Date().addingTimeInterval(-25 * 3600)), "--to", until, "--format", "json"]
        let first = try run(["report", "--state", template] + period)
        #expect(first.code == 0, "\(first.errors)")
        #expect(try ReportJSON(first.output).runs == 2)

        // Night 2: three shards, one at a time; each new state imports its accounts from the two of the old layout.
        for index in 0..<3 {
            let shard = try run(states.scanArguments(config, state: template, until: until, ["--shard", "\(index)/3", "--scan-id", "night-2", "--format", "json"]))
            #expect([0, 1].contains(shard.code), "\(shard.errors)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(shard.output.utf8)) as? [String: Any])
            let totals = json["totals"] as? [String: Int] ?? [:]
            #expect(totals["validDigests"] == 0 && totals["validLogs"] == 0 && totals["findings"] == 0 && totals["errors"] == 0, "\(totals)")
        }
        let imported = try SQLiteStateStore(path: try await states.download("nightly/3/tw-2.sqlite"))
        let request = try #require(try await imported.runs().last).request
        await imported.close()
        let owned = accounts.filter { ShardAssignment.shard(of: $0, count: 3) == 2 }
        #expect(request.contains("\"imported\"") == !owned.isEmpty && !request.contains("nightly\\/3\\/tw-"), "\(request)")

        // The report from the template reads the newest layout, and equals the unsharded one's.
        let unsharded = await Run(["report", "--state", whole] + period)
        let sharded = try run(["report", "--state", template] + period)
        #expect(unsharded.code == 0 && sharded.code == 0, "\(sharded.errors)")
        #expect(sharded.errors.contains("s3://\(states.bucket)/nightly/2/tw-0.sqlite: left out, not a shard of the newest layout (3 shards)"), "\(sharded.errors)")
        let expectedReport = try ReportJSON(unsharded.standardOutput)
        let mergedReport = try ReportJSON(sharded.output)
        mergedReport.expectSameAccountsAndSummary(as: expectedReport)

        // Back to two shards: the old layout's state is stale, found through the template, and refused.
        let back = try run(states.scanArguments(config, state: template, until: until, ["--shard", "0/2", "--scan-id", "night-3"]))
        #expect(back.code == 3 && back.errors.contains("s3://\(states.bucket)/nightly/2/tw-0.sqlite is a stale state of an earlier layout"), "\(back.errors)")
        #expect(try await states.client().headObjectETag(bucket: states.bucket, key: "nightly/2/tw-0.sqlite.lease") == nil)
    }

    @Test func localTemplateStatesResizeAndReportAndBadTemplatesAreUsageErrors() async throws {
        let root = states.root
        defer { try? FileManager.default.removeItem(at: root) }
        let organization = try await ShardedScanTests.ArchivedOrganization(root)
        let until = organization.until
        func scan(_ state: String, _ extra: [String]) async -> Run { await organization.scan(state, ["--format", "json"] + extra) }
        let period = ["--from", CloudTrailTime.display(Date().addingTimeInterval(-25 * 3600)), "--to", until, "--format", "json"]

        // Refused before anything is read or written: one line naming the option and what is wrong.
        let countOnly = root.path + "/x-{count}.sqlite"
        for (state, extra, message) in [(countOnly, ["--shard", "0/2"], "--state \(countOnly): a template for a sharded scan needs {index} or {shard}"),
                                        (root.path + "/{nope}.sqlite", ["--shard", "0/2"], "unknown placeholder {nope} (known: {index}, {count}, {shard})"),
                                        (root.path + "/x-{index.sqlite", ["--shard", "0/2"], "a \"{\" without its \"}\""),
                                        (root.path + "/x-{index}.sqlite", [], "{index} and {count} need a sharded scan (--shard)")] {
            let refused = await scan(state, extra)
            #expect(refused.code == 2 && refused.standardError.contains(message) && refused.standardError.split(separator: "\n").count == 1, "\(refused.standardError)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).allSatisfy { !$0.hasPrefix("x-") })
        let badReport = await Run(["report", "--state", root.path + "/{shard.sqlite"] + period)
        #expect(badReport.code == 2 && badReport.standardError.contains("--state \(root.path)/{shard.sqlite: a \"{\" without its \"}\""), "\(badReport.standardError)")
        let none = await Run(["report", "--state", root.path + "/none-{shard}.sqlite"] + period)
        #expect(none.code == 2 && none.standardError.contains("no state that this template names"), "\(none.standardError)")

        let whole = root.appendingPathComponent("whole.sqlite").path
        #expect(await scan(whole, []).code == 1)
        #expect(await scan(whole, []).code == 1)
        let expected = await Run(["report", "--state", whole] + period)
        let template = root.path + "/tw-{index}-of-{count}.sqlite"
        for index in 0..<2 { #expect([0, 1].contains(await scan(template, ["--shard", "\(index)/2"]).code)) }
        #expect(FileManager.default.fileExists(atPath: root.path + "/tw-1-of-2.sqlite"))
        // Three shards: each new local state imports from the two of the old layout (nothing read again).
        for index in 0..<3 {
            let shard = await scan(template, ["--shard", "\(index)/3"])
            #expect([0, 1].contains(shard.code), "\(shard.standardError)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(shard.standardOutput.utf8)) as? [String: Any])
            let totals = json["totals"] as? [String: Int] ?? [:]
            #expect(totals["validDigests"] == 0 && totals["validLogs"] == 0 && totals["findings"] == 0, "\(totals)")
        }
        let report = await Run(["report", "--state", template] + period)
        #expect(report.code == 0 && report.standardError.contains("tw-0-of-2.sqlite: left out, not a shard of the newest layout (3 shards)"), "\(report.standardError)")
        let merged = try ReportJSON(report.standardOutput), single = try ReportJSON(expected.standardOutput)
        #expect(merged.accounts == single.accounts)

        // Without {count}, the states of 2 and 3 shards have the same names: a resize is refused, not mixed.
        let countless = root.path + "/c-{index}.sqlite"
        for index in 0..<2 { #expect([0, 1].contains(await scan(countless, ["--shard", "\(index)/2"]).code)) }
        let mixed = await scan(countless, ["--shard", "1/3"])
        #expect(mixed.code == 3 && mixed.standardError.contains("\(root.path)/c-1.sqlite is the state of shard 1/2 (its last run"), "\(mixed.standardError)")
        #expect(await Run(["report", "--state", countless] + period).code == 0)
        // The way out: a template with {count}, importing on each shard's first run from every state the old one names.
        for index in 0..<3 {
            let moved = await scan(root.path + "/d-{index}-of-{count}.sqlite", ["--shard", "\(index)/3", "--previous-states", countless])
            let json = try #require(try JSONSerialization.jsonObject(with: Data(moved.standardOutput.utf8)) as? [String: Any], "\(moved.standardError)")
            let totals = json["totals"] as? [String: Int] ?? [:]
            #expect(totals["validDigests"] == 0 && totals["validLogs"] == 0 && totals["findings"] == 0, "\(totals)")
        }
    }
}
