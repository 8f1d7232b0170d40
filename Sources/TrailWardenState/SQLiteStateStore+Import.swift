import Foundation

/// What one import brought into a state.
public struct ImportedAccounts: Sendable, Equatable {
    public var accounts = 0
    public var chains = 0
    public var checkpoints = 0
    public var runs = 0
    public var openFindings = 0

    public init() {}
}

extension SQLiteStateStore {
    /// The accounts this state holds anything of (chains, findings or errors), sorted.
    public func accountIDs() throws -> [String] {
        try database.query("""
            SELECT account_id FROM chains UNION SELECT account_id FROM findings UNION SELECT account_id FROM account_errors ORDER BY 1
            """) { $0.text(0) }
    }

    /// Copies into this state everything the state file at `path` holds about `accounts`: their
    /// chains with the checkpoints (newest verified and newest examined digest, where the search
    /// for unreferenced logs stopped), every chain result with its coverage and findings, the
    /// findings open and resolved with their alarm deliveries, the account errors, and the runs
    /// all these refer to (a run this state already has, by start, caller and request, is not
    /// copied twice) with their alarm outcomes. So after a resize the accounts' new shard resumes
    /// where their old one stopped, announces nothing again, can resolve what is open, and its
    /// state alone reports their history.
    ///
    /// Why accounts this state already knows are refused: its own record of them is newer
    /// than any other's, and the two cannot be merged chain by chain. `path` is attached,
    /// never written; it must be at this binary's schema version (open it with
    /// `SQLiteStateStore(path:)` first, on a copy, to migrate it). One transaction: all or nothing.
    public func importAccounts(_ accounts: [String], from path: String) throws -> ImportedAccounts {
        guard !accounts.isEmpty else { return ImportedAccounts() }
        let known = Set(try accountIDs()).intersection(accounts)
        guard known.isEmpty else {
            throw StateError(.invalid, path: self.path, detail: "cannot import account \(known.sorted()[0]) from \(path): this state already holds it")
        }
        try database.run("ATTACH DATABASE ? AS previous", [.text(path)])
        defer { try? database.execute("DETACH DATABASE previous") }
        let theirs = try database.query("SELECT max(version) FROM previous.schema_version") { $0.optionalInteger(0) }.first ?? nil
        let ours = try database.query("SELECT max(version) FROM main.schema_version") { $0.optionalInteger(0) }.first ?? nil
        guard let theirs, theirs == ours else {
            throw StateError(.invalid, path: self.path, detail: "cannot import from \(path): its schema version \(theirs.map(String.init) ?? "none") is not this state's \(ours.map(String.init) ?? "none")")
        }
        return try database.transaction {
            defer { try? database.execute(ImportSQL.dropTemporary) }
            try database.execute(ImportSQL.createTemporary)
            for account in accounts {
                try database.run("INSERT OR IGNORE INTO temp.import_accounts (account_id) VALUES (?)", [.text(account)])
            }
            var imported = ImportedAccounts()
            for (step, sql) in ImportSQL.steps.enumerated() {
                try database.run(sql)
                switch step {
                case ImportSQL.chainsStep: imported.chains = database.changes
                case ImportSQL.runsStep: imported.runs = database.changes
                case ImportSQL.checkpointsStep: imported.checkpoints = database.changes
                default: break
                }
            }
            imported.accounts = try database.query("""
                SELECT count(*) FROM temp.import_accounts a WHERE a.account_id IN
                    (SELECT account_id FROM main.chains UNION SELECT account_id FROM main.findings UNION SELECT account_id FROM main.account_errors)
                """) { Int($0.integer(0)) }[0]
            imported.openFindings = try database.query("""
                SELECT count(*) FROM main.findings f JOIN temp.import_findings i ON i.new = f.id WHERE f.status = 'open'
                """) { Int($0.integer(0)) }[0]
            return imported
        }
    }
}

/// The statements of `importAccounts`, in order: each maps the old ids of `previous` to the
/// new ids of `main` through temporary tables, so foreign keys hold at every step.
enum ImportSQL {
    static let accounts = "(SELECT account_id FROM temp.import_accounts)"

    static let createTemporary = """
        CREATE TEMP TABLE import_accounts (account_id TEXT PRIMARY KEY);
        CREATE TEMP TABLE import_chains (old INTEGER PRIMARY KEY, new INTEGER NOT NULL);
        CREATE TEMP TABLE import_runs (old INTEGER PRIMARY KEY, new INTEGER NOT NULL);
        CREATE TEMP TABLE import_findings (old INTEGER PRIMARY KEY, new INTEGER NOT NULL);
        CREATE TEMP TABLE import_referenced_runs (id INTEGER PRIMARY KEY);
        """
    static let dropTemporary = """
        DROP TABLE IF EXISTS temp.import_accounts; DROP TABLE IF EXISTS temp.import_chains; DROP TABLE IF EXISTS temp.import_runs;
        DROP TABLE IF EXISTS temp.import_findings; DROP TABLE IF EXISTS temp.import_referenced_runs;
        """

    static let chainsStep = 0
    static let runsStep = 3
    static let checkpointsStep = 5

    static let steps = [
        // 0: the chains, then their ids.
        """
        INSERT INTO main.chains (bucket, prefix, organization_id, account_id, trail_name, home_region, source_region)
        SELECT bucket, prefix, organization_id, account_id, trail_name, home_region, source_region FROM previous.chains
        WHERE account_id IN \(accounts) ORDER BY id
        """,
        """
        INSERT INTO temp.import_chains (old, new)
        SELECT p.id, m.id FROM previous.chains p JOIN main.chains m ON m.bucket = p.bucket AND m.prefix = p.prefix
            AND m.organization_id = p.organization_id AND m.account_id = p.account_id AND m.trail_name = p.trail_name
            AND m.home_region = p.home_region AND m.source_region = p.source_region
        WHERE p.account_id IN \(accounts)
        """,
        // 2: every run something imported refers to.
        """
        INSERT OR IGNORE INTO temp.import_referenced_runs (id)
        SELECT r.run_id FROM previous.chain_results r JOIN temp.import_chains c ON c.old = r.chain_id
        UNION SELECT k.run_id FROM previous.checkpoints k JOIN temp.import_chains c ON c.old = k.chain_id
        UNION SELECT first_seen_run FROM previous.findings WHERE account_id IN \(accounts)
        UNION SELECT last_seen_run FROM previous.findings WHERE account_id IN \(accounts)
        UNION SELECT resolved_run FROM previous.findings WHERE account_id IN \(accounts) AND resolved_run IS NOT NULL
        UNION SELECT run_id FROM previous.account_errors WHERE account_id IN \(accounts)
        UNION SELECT d.run_id FROM previous.alarm_deliveries d JOIN previous.findings f ON f.id = d.finding_id WHERE f.account_id IN \(accounts)
        """,
        // 3: those runs, once each (one imported before through another state is the same run), oldest first.
        """
        INSERT INTO main.runs (started_at_ms, finished_at_ms, caller, request, totals, errors, status, configuration_sha256, trailwarden_version)
        SELECT p.started_at_ms, p.finished_at_ms, p.caller, p.request, p.totals, p.errors, p.status, p.configuration_sha256, p.trailwarden_version
        FROM previous.runs p WHERE p.id IN (SELECT id FROM temp.import_referenced_runs) AND NOT EXISTS
            (SELECT 1 FROM main.runs m WHERE m.started_at_ms = p.started_at_ms AND m.caller = p.caller AND m.request = p.request)
        ORDER BY p.started_at_ms, p.id
        """,
        """
        INSERT INTO temp.import_runs (old, new)
        SELECT p.id, (SELECT min(m.id) FROM main.runs m WHERE m.started_at_ms = p.started_at_ms AND m.caller = p.caller AND m.request = p.request)
        FROM previous.runs p WHERE p.id IN (SELECT id FROM temp.import_referenced_runs)
        """,
        // 5: where each chain resumes.
        """
        INSERT INTO main.checkpoints (chain_id, digest_key, digest_end_time_ms, signature, sha256, run_id, updated_at_ms,
                                      examined_digest_key, examined_end_time_ms, unreferenced_checked_through_ms)
        SELECT c.new, k.digest_key, k.digest_end_time_ms, k.signature, k.sha256, r.new, k.updated_at_ms,
               k.examined_digest_key, k.examined_end_time_ms, k.unreferenced_checked_through_ms
        FROM previous.checkpoints k JOIN temp.import_chains c ON c.old = k.chain_id JOIN temp.import_runs r ON r.old = k.run_id
        """,
        """
        INSERT INTO main.chain_results (run_id, chain_id, trail_arn, range_start_ms, range_end_ms, tally, error, recorded_at_ms)
        SELECT r.new, c.new, x.trail_arn, x.range_start_ms, x.range_end_ms, x.tally, x.error, x.recorded_at_ms
        FROM previous.chain_results x JOIN temp.import_chains c ON c.old = x.chain_id JOIN temp.import_runs r ON r.old = x.run_id
        ORDER BY x.run_id, x.chain_id
        """,
        """
        INSERT INTO main.coverage_spans (run_id, chain_id, start_ms, end_ms, state)
        SELECT r.new, c.new, s.start_ms, s.end_ms, s.state
        FROM previous.coverage_spans s JOIN temp.import_chains c ON c.old = s.chain_id JOIN temp.import_runs r ON r.old = s.run_id
        ORDER BY s.rowid
        """,
        // 8: the findings, chain and trail, then their ids by their unique keys.
        """
        INSERT INTO main.findings (account_id, chain_id, kind, object, message, first_seen_run, first_seen_at_ms,
                                   last_seen_run, last_seen_at_ms, status, resolved_run, resolved_at_ms)
        SELECT f.account_id, c.new, f.kind, f.object, f.message, fr.new, f.first_seen_at_ms, lr.new, f.last_seen_at_ms,
               f.status, rr.new, f.resolved_at_ms
        FROM previous.findings f LEFT JOIN temp.import_chains c ON c.old = f.chain_id
            JOIN temp.import_runs fr ON fr.old = f.first_seen_run JOIN temp.import_runs lr ON lr.old = f.last_seen_run
            LEFT JOIN temp.import_runs rr ON rr.old = f.resolved_run
        WHERE f.account_id IN \(accounts) AND (f.chain_id IS NULL OR c.new IS NOT NULL) ORDER BY f.id
        """,
        """
        INSERT INTO temp.import_findings (old, new)
        SELECT f.id, m.id FROM previous.findings f LEFT JOIN temp.import_chains c ON c.old = f.chain_id
            JOIN main.findings m ON m.account_id = f.account_id AND m.kind = f.kind AND m.object = f.object
                AND ((f.chain_id IS NULL AND m.chain_id IS NULL) OR m.chain_id = c.new)
        WHERE f.account_id IN \(accounts)
        """,
        """
        INSERT INTO main.chain_result_findings (run_id, chain_id, finding_id)
        SELECT r.new, c.new, i.new FROM previous.chain_result_findings x JOIN temp.import_chains c ON c.old = x.chain_id
            JOIN temp.import_runs r ON r.old = x.run_id JOIN temp.import_findings i ON i.old = x.finding_id
        """,
        """
        INSERT INTO main.alarm_deliveries (finding_id, target, run_id, delivered_at_ms)
        SELECT i.new, d.target, r.new, d.delivered_at_ms FROM previous.alarm_deliveries d
            JOIN temp.import_findings i ON i.old = d.finding_id JOIN temp.import_runs r ON r.old = d.run_id
        """,
        """
        INSERT INTO main.account_errors (run_id, account_id, message)
        SELECT r.new, e.account_id, e.message FROM previous.account_errors e JOIN temp.import_runs r ON r.old = e.run_id
        WHERE e.account_id IN \(accounts) ORDER BY e.rowid
        """,
        // 13: what the alarm targets did after those runs (already there for a run imported before).
        """
        INSERT OR IGNORE INTO main.alarm_outcomes (run_id, target, status, findings, attempts, error, at_ms)
        SELECT r.new, o.target, o.status, o.findings, o.attempts, o.error, o.at_ms
        FROM previous.alarm_outcomes o JOIN temp.import_runs r ON r.old = o.run_id
        """,
    ]
}
