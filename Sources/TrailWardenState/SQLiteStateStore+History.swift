import Foundation
import TrailWardenCore

extension SQLiteStateStore {
    /// Reads what a report of [from, to] needs. Chains: every chain of the accounts that a run
    /// validated, even if no validation reached the period (the report shows it not scanned);
    /// results: those whose range overlaps the period; runs: theirs plus the runs started in
    /// the period; trail findings: those seen between the first and last of those runs.
    /// With `run`, only that run's results, findings, errors and outcomes: a scan's own report.
    public func history(from: Date, to: Date, accounts: Set<String>, run: Int64?) throws -> StateHistory {
        let accountList = accounts.sorted()
        func accountFilter(_ column: String) -> String {
            accountList.isEmpty ? "" : "AND \(column) IN (\(accountList.map { _ in "?" }.joined(separator: ", ")))"
        }
        let accountBinds = accountList.map(SQLiteValue.text)
        let runFilter = run == nil ? "" : "AND r.run_id = \(run ?? 0)"
        let period: [SQLiteValue] = [.integer(to.epochMilliseconds), .integer(from.epochMilliseconds)]

        // Every chain ever validated (by the run asked for), whether or not a validation
        // reached the period: a period no run validated is shown as not scanned, not left out.
        let known = try database.query("""
            SELECT c.id, max(r.recorded_at_ms) FROM chains c JOIN chain_results r ON r.chain_id = c.id
            WHERE 1 = 1 \(runFilter) \(accountFilter("c.account_id")) GROUP BY c.id ORDER BY c.id
            """, accountBinds) { (id: $0.integer(0), lastRecorded: Date(epochMilliseconds: $0.integer(1))) }
        let results = try ResultRows.select("WHERE r.range_start_ms <= ? AND r.range_end_ms >= ? \(runFilter) \(accountFilter("c.account_id"))", period + accountBinds,
                                            withFindingKeys: false, in: database)
        let resultsByChain = Dictionary(grouping: results, by: \.chain)

        var chains = [StateHistory.Chain]()
        for entry in known {
            let newest = try ResultRows.select(
                "WHERE r.chain_id = ? AND r.run_id = (SELECT max(run_id) FROM chain_results WHERE chain_id = ?)",
                [.integer(entry.id), .integer(entry.id)], withFindingKeys: false, in: database)
            guard let latest = newest.first else { continue }
            let coverage = try database.query("""
                SELECT start_ms, end_ms, state, run_id FROM coverage_spans r WHERE chain_id = ? AND start_ms <= ? AND end_ms >= ? \(runFilter)
                ORDER BY run_id, start_ms
                """, [.integer(entry.id)] + period) { row in
                StateHistory.RunCoverage(run: row.integer(3), span: CoverageSpan(
                    start: Date(epochMilliseconds: row.integer(0)), end: Date(epochMilliseconds: row.integer(1)),
                    state: CoverageState(rawValue: row.text(2)) ?? .invalid))
            }
            chains.append(StateHistory.Chain(chain: latest.chain, trailARN: latest.trailARN, results: resultsByChain[latest.chain] ?? [],
                                             coverage: coverage, lastRecorded: entry.lastRecorded))
        }

        var runIDs = Set(results.map(\.run))
        if let run {
            runIDs = [run]
        } else {
            runIDs.formUnion(try database.query("SELECT id FROM runs WHERE started_at_ms >= ? AND started_at_ms <= ?",
                                                [period[1], period[0]]) { $0.integer(0) })
        }
        let runs = try self.runs().filter { runIDs.contains($0.id) }

        var findings = [StoredFinding]()
        if let first = runs.first?.id, let last = runs.last?.id {
            let chainFindings = try FindingRows.select("""
                WHERE f.id IN (SELECT rf.finding_id FROM chain_result_findings rf JOIN chain_results r
                               ON r.run_id = rf.run_id AND r.chain_id = rf.chain_id
                               WHERE r.range_start_ms <= ? AND r.range_end_ms >= ? \(runFilter)) \(accountFilter("f.account_id"))
                """, period + accountBinds, in: database)
            let trailFindings = try FindingRows.select("""
                WHERE f.chain_id IS NULL AND f.first_seen_run <= ? AND f.last_seen_run >= ? \(accountFilter("f.account_id"))
                """, [.integer(last), .integer(first)] + accountBinds, in: database)
            findings = chainFindings + trailFindings
        }

        let runBinds = runs.map { SQLiteValue.integer($0.id) }
        let runList = runs.map { _ in "?" }.joined(separator: ", ")
        let accountErrors = runs.isEmpty ? [] : try database.query("""
            SELECT run_id, account_id, message FROM account_errors WHERE run_id IN (\(runList)) \(accountFilter("account_id")) ORDER BY run_id, rowid
            """, runBinds + accountBinds) { StoredAccountError(run: $0.integer(0), accountID: $0.text(1), message: $0.text(2)) }
        let outcomes = runs.isEmpty ? [] : try database.query("""
            SELECT run_id, target, status, findings, attempts, error FROM alarm_outcomes WHERE run_id IN (\(runList))
            ORDER BY run_id, target
            """, runBinds) {
            AlarmOutcomeRecord(run: $0.integer(0), target: $0.text(1), status: try stored(AlarmOutcomeRecord.Status.self, $0.text(2), in: database), findings: Int($0.integer(3)),
                               attempts: Int($0.integer(4)), error: $0.optionalText(5))
        }
        return StateHistory(chains: chains, findings: findings, accountErrors: accountErrors, runs: runs, alarmOutcomes: outcomes)
    }
}
