import Foundation
import Testing
import TrailWardenCore
@testable import TrailWardenState
import TrailWardenVocabulary

/// `importAccounts`: what a resized shard copies from an earlier shard's state is enough to
/// resume, to stay quiet towards alarm targets, to resolve later, and to report the history;
/// and nothing of the other accounts comes along.
@Suite struct ImportTests {
    @Test func anImportedAccountResumesStaysDeliveredAndCanBeResolved() async throws {
        let directory = try TemporaryDirectory()
        let oldPath = directory.url.appending(path: "old.sqlite").path(percentEncoded: false)
        let old = try SQLiteStateStore(path: oldPath)
        let moved = Fixture.chain(account: "111122223333"), stays = Fixture.chain(account: "444455556666")
        let finding = RecordedFinding(kind: FindingKind(rawValue: "invalid-log"), object: "a.json.gz", message: "hash mismatch")
        let posture = RecordedFinding(kind: FindingKind(rawValue: "trail-logging-stopped"), object: "arn:trail", message: "stopped")
        var checkpoint = Fixture.checkpoint("one", end: 3600)
        checkpoint.examined = ExaminedDigest(key: "copy.json.gz", endTime: Fixture.date(5400))
        checkpoint.unreferencedCheckedThrough = Fixture.date(3000)
        var result = Fixture.result(moved, findings: [finding], checkpoint: checkpoint,
                                    coverage: [CoverageSpan(start: Fixture.date(0), end: Fixture.date(3600), state: .verified)])
        result.newestExamined = checkpoint.examined
        result.unreferencedCheckedThrough = checkpoint.unreferencedCheckedThrough
        let run1 = try await old.beginRun(caller: "shard 0", request: "{\"shard\":\"0/3\"}", at: Fixture.date(0))
        try await old.record(result, run: run1, at: Fixture.date(10))
        try await old.record(Fixture.result(stays, findings: [finding], checkpoint: Fixture.checkpoint("two", end: 3600)), run: run1, at: Fixture.date(11))
        try await old.record(AccountResult(accountID: moved.accountID, postureFindings: [posture], errors: ["DescribeTrails: throttled"], postureComplete: true),
                             run: run1, at: Fixture.date(12))
        try await old.finishRun(run1, status: .complete, totals: nil, errors: [], at: Fixture.date(20))
        let delivered = try await old.pendingAlarms(target: "sns:topic")
        try await old.recordAlarm(AlarmOutcomeRecord(run: run1, target: "sns:topic", status: .delivered, findings: delivered.count, attempts: 1, error: nil),
                                  delivered: delivered.map(\.id), at: Fixture.date(21))
        let before = try await old.wholeHistory(accounts: [moved.accountID])
        await old.close()
        let oldBytes = try Data(contentsOf: URL(fileURLWithPath: oldPath))

        // A new state that already has a run of its own imports the moved account, and only it.
        let new = try SQLiteStateStore(path: directory.statePath)
        let own = try await new.beginRun(caller: "shard 3", request: "{\"shard\":\"3/4\"}", at: Fixture.date(50))
        try await new.finishRun(own, status: .complete, totals: nil, errors: [], at: Fixture.date(60))
        let imported = try await new.importAccounts([moved.accountID], from: oldPath)
        #expect(imported == { var expected = ImportedAccounts(); expected.accounts = 1; expected.chains = 1; expected.checkpoints = 1
                              expected.runs = 1; expected.openFindings = 2; return expected }())
        #expect(try Data(contentsOf: URL(fileURLWithPath: oldPath)) == oldBytes)
        #expect(try await new.accountIDs() == [moved.accountID])
        #expect(try await new.checkpoint(for: moved) == checkpoint)
        #expect(try await new.checkpoint(for: stays) == nil)
        #expect(try await new.pendingAlarms(target: "sns:topic").isEmpty)
        #expect(try await new.pendingAlarms(target: "webhook:other").count == 2)
        let after = try await new.wholeHistory(accounts: [])
        #expect(after.chains.map(\.chain) == before.chains.map(\.chain))
        #expect(after.chains.flatMap(\.coverage).map(\.span) == before.chains.flatMap(\.coverage).map(\.span))
        #expect(after.findings.map(\.key) == before.findings.map(\.key))
        #expect(after.accountErrors.map(\.message) == ["DescribeTrails: throttled"])
        #expect(after.alarmOutcomes.map(\.target) == ["sns:topic"])
        #expect(try await new.runs().map(\.caller) == ["shard 3", "shard 0"])

        // A second import of the same account is refused; a rescan of the whole range that misses the finding resolves it.
        await #expect(throws: StateError.self) { _ = try await new.importAccounts([moved.accountID], from: oldPath) }
        let rescan = try await new.beginRun(caller: "shard 3", request: "{}", at: Fixture.date(100))
        try await new.record(Fixture.result(moved, range: 0...7200), run: rescan, at: Fixture.date(110))
        #expect(try await new.findings(chain: moved).map(\.status) == [.resolved])
        await new.close()
    }

    /// A migration that adds a column must teach the import to copy it: the import's INSERT
    /// into each table names every column of the table but the id it numbers anew.
    @Test func theImportCopiesEveryColumnOfEveryTable() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: directory.statePath)
        let schema = try await store.columnsByTable()
        await store.close()
        var inserted = [String: Set<String>]()
        for step in ImportSQL.steps {
            guard let into = step.range(of: "INSERT INTO main.") ?? step.range(of: "INSERT OR IGNORE INTO main.") else { continue }
            let rest = step[into.upperBound...]
            guard let open = rest.firstIndex(of: "("), let close = rest.firstIndex(of: ")") else { continue }
            let table = rest[..<open].trimmingCharacters(in: .whitespaces)
            inserted[table] = Set(rest[rest.index(after: open)..<close].split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        }
        #expect(schema.count > 5)
        for (table, columns) in schema where table != "schema_version" {
            #expect(inserted[table] == Set(columns.filter { $0 != "id" }), "the import's columns of \(table)")
        }
    }
}

extension SQLiteStateStore {
    /// Every table of the migrated schema with its columns.
    func columnsByTable() throws -> [String: [String]] {
        let rows = try database.query("""
            SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY m.name, p.cid
            """) { ($0.text(0), $0.text(1)) }
        return Dictionary(grouping: rows, by: \.0).mapValues { $0.map(\.1) }
    }
}

/// What a report of all time reads of some accounts (empty: all), gathered whole for comparison.
struct WholeHistory {
    var chains: [StateHistory.Chain] = []
    var findings: [StoredFinding] = []
    var accountErrors: [StoredAccountError] = []
    var alarmOutcomes: [AlarmOutcomeRecord] = []
}

extension SQLiteStateStore {
    func wholeHistory(accounts: Set<String>) async throws -> WholeHistory {
        let query = StateHistory.Query(from: .distantPast, to: .distantFuture, accounts: accounts, run: nil)
        let outline = try outline(query)
        var whole = WholeHistory(alarmOutcomes: outline.alarmOutcomes)
        for entry in outline.chains { whole.chains.append(try chain(entry, query)) }
        for account in outline.accounts {
            let rows = try self.account(account, runs: outline.runs)
            whole.findings += rows.postureFindings
            whole.accountErrors += rows.errors
        }
        whole.findings += whole.chains.flatMap(\.findings)
        return whole
    }
}
