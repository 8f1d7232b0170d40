import Foundation
import TrailWardenCore

/// The report's reads: small queries per chain and per account, each using an index, so a
/// report holds one chain's rows at a time however long the history.
extension SQLiteStateStore: HistoryReader {
    /// " AND column IN (?, …)" for the query's accounts, nothing for all, with its binds.
    private static func accountFilter(_ query: StateHistory.Query, _ column: String) -> (sql: String, binds: [SQLiteValue]) {
        let accounts = query.accounts.sorted()
        guard !accounts.isEmpty else { return ("", []) }
        return ("AND \(column) IN (\(accounts.map { _ in "?" }.joined(separator: ", ")))", accounts.map(SQLiteValue.text))
    }

    private static func runFilter(_ query: StateHistory.Query, _ alias: String) -> String {
        query.run.map { "AND \(alias).run_id = \($0)" } ?? ""
    }

    /// The period as binds for "start <= ? AND end >= ?".
    private static func overlap(_ query: StateHistory.Query) -> [SQLiteValue] {
        [.integer(query.to.epochMilliseconds), .integer(query.from.epochMilliseconds)]
    }

    public func validatedRange(_ query: StateHistory.Query) throws -> (from: Date, to: Date)? {
        let accounts = Self.accountFilter(query, "c.account_id")
        return try database.query("""
            SELECT min(r.range_start_ms), max(r.range_end_ms) FROM chain_results r JOIN chains c ON c.id = r.chain_id
            WHERE 1 = 1 \(Self.runFilter(query, "r")) \(accounts.sql)
            """, accounts.binds) { row in
            row.isNull(0) ? nil : (from: Date(epochMilliseconds: row.integer(0)), to: Date(epochMilliseconds: row.integer(1)))
        }.first ?? nil
    }

    /// Chains: every chain that a run (the query's) validated, whether or not a validation reached
    /// the period; runs: those of the results overlapping the period plus the runs started in it
    /// (with `run`, that run only); accounts: those of the chains, of trail findings seen between
    /// the first and last of the runs, and of the runs' account errors.
    public func outline(_ query: StateHistory.Query) throws -> StateHistory.Outline {
        let accounts = Self.accountFilter(query, "c.account_id")
        let runFilter = Self.runFilter(query, "r")
        let chains = try database.query("""
            SELECT \(ChainRows.columns("c")), c.id, max(r.recorded_at_ms),
                   (SELECT n.trail_arn FROM chain_results n WHERE n.chain_id = c.id ORDER BY n.run_id DESC LIMIT 1)
            FROM chains c JOIN chain_results r ON r.chain_id = c.id
            WHERE 1 = 1 \(runFilter) \(accounts.sql) GROUP BY c.id ORDER BY c.id
            """, accounts.binds) { row in
            StateHistory.ChainEntry(id: row.integer(7), chain: ChainRows.chain(row), trailARN: row.text(9),
                                    lastRecorded: Date(epochMilliseconds: row.integer(8)))
        }
        var runIDs: Set<Int64>
        if let run = query.run {
            runIDs = [run]
        } else {
            runIDs = Set(try database.query("""
                SELECT DISTINCT r.run_id FROM chain_results r JOIN chains c ON c.id = r.chain_id
                WHERE r.range_start_ms <= ? AND r.range_end_ms >= ? \(accounts.sql)
                """, Self.overlap(query) + accounts.binds) { $0.integer(0) })
            runIDs.formUnion(try database.query("SELECT id FROM runs WHERE started_at_ms >= ? AND started_at_ms <= ?",
                                                Array(Self.overlap(query).reversed())) { $0.integer(0) })
        }
        let runs = try self.runs().filter { runIDs.contains($0.id) }
        var accountIDs = Set(chains.map(\.chain.accountID))
        if let first = runs.first?.id, let last = runs.last?.id {
            let trails = Self.accountFilter(query, "account_id")
            accountIDs.formUnion(try database.query("""
                SELECT DISTINCT account_id FROM findings WHERE chain_id IS NULL AND first_seen_run <= ? AND last_seen_run >= ? \(trails.sql)
                """, [.integer(last), .integer(first)] + trails.binds) { $0.text(0) })
            accountIDs.formUnion(try database.query("""
                SELECT DISTINCT account_id FROM account_errors WHERE run_id IN (\(runs.map { _ in "?" }.joined(separator: ", "))) \(trails.sql)
                """, runs.map { .integer($0.id) } + trails.binds) { $0.text(0) })
        }
        let outcomes = runs.isEmpty ? [] : try database.query("""
            SELECT run_id, target, status, findings, attempts, error FROM alarm_outcomes
            WHERE run_id IN (\(runs.map { _ in "?" }.joined(separator: ", "))) ORDER BY run_id, target
            """, runs.map { .integer($0.id) }) {
            AlarmOutcomeRecord(run: $0.integer(0), target: $0.text(1), status: try stored(AlarmOutcomeRecord.Status.self, $0.text(2), in: database),
                               findings: Int($0.integer(3)), attempts: Int($0.integer(4)), error: $0.optionalText(5))
        }
        return StateHistory.Outline(chains: chains, accounts: accountIDs.sorted(), runs: runs, alarmOutcomes: outcomes)
    }

    /// The chain's results overlapping the period, their coverage, and the findings they saw.
    public func chain(_ entry: StateHistory.ChainEntry, _ query: StateHistory.Query) throws -> StateHistory.Chain {
        let runFilter = Self.runFilter(query, "r")
        let results = try ResultRows.select("WHERE r.chain_id = ? AND r.range_start_ms <= ? AND r.range_end_ms >= ? \(runFilter)",
                                            [.integer(entry.id)] + Self.overlap(query), withFindingKeys: false, in: database)
        let coverage = try database.query("""
            SELECT start_ms, end_ms, state, run_id FROM coverage_spans r WHERE chain_id = ? AND start_ms <= ? AND end_ms >= ? \(runFilter)
            ORDER BY run_id, start_ms
            """, [.integer(entry.id)] + Self.overlap(query)) { row in
            StateHistory.RunCoverage(run: row.integer(3), span: CoverageSpan(
                start: Date(epochMilliseconds: row.integer(0)), end: Date(epochMilliseconds: row.integer(1)),
                state: CoverageState(rawValue: row.text(2)) ?? .invalid))
        }
        let findings = try FindingRows.select("""
            WHERE f.chain_id = ? AND f.id IN (SELECT rf.finding_id FROM chain_result_findings rf JOIN chain_results r
                                              ON r.run_id = rf.run_id AND r.chain_id = rf.chain_id
                                              WHERE r.chain_id = ? AND r.range_start_ms <= ? AND r.range_end_ms >= ? \(runFilter))
            """, [.integer(entry.id), .integer(entry.id)] + Self.overlap(query), in: database)
        return StateHistory.Chain(chain: entry.chain, trailARN: entry.trailARN, results: results, coverage: coverage,
                                  lastRecorded: entry.lastRecorded, findings: findings)
    }

    public func account(_ accountID: String, runs: [RunSummary]) throws -> StateHistory.Account {
        guard let first = runs.first?.id, let last = runs.last?.id else { return StateHistory.Account(postureFindings: [], errors: []) }
        let findings = try FindingRows.select("WHERE f.chain_id IS NULL AND f.account_id = ? AND f.first_seen_run <= ? AND f.last_seen_run >= ?",
                                              [.text(accountID), .integer(last), .integer(first)], in: database)
        let errors = try database.query("""
            SELECT run_id, account_id, message FROM account_errors WHERE account_id = ? AND run_id IN (\(runs.map { _ in "?" }.joined(separator: ", ")))
            ORDER BY run_id, rowid
            """, [.text(accountID)] + runs.map { .integer($0.id) }) { StoredAccountError(run: $0.integer(0), accountID: $0.text(1), message: $0.text(2)) }
        return StateHistory.Account(postureFindings: findings, errors: errors)
    }
}
