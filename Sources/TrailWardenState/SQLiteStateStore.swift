import Foundation
import TrailWardenCore

/// Scan state in one SQLite file: checkpoints, findings history and runs.
///
/// Why these settings: WAL with synchronous=NORMAL keeps every committed transaction across a
/// process crash (a power loss may lose the last few, which only means validating them
/// again); each chain's result is one transaction, so a killed scan leaves each chain either
/// fully recorded or not at all. The busy timeout covers readers such as a report command.
/// The `<path>.lock` flock, held until `close()` or deinit, refuses a second scan.
/// Times are stored as INTEGER epoch milliseconds (UTC).
public actor SQLiteStateStore: StateStore {
    /// The state (database) file.
    public nonisolated let path: String
    /// The migration versions this open applied (empty when the database was current).
    public nonisolated let migrationsAppliedAtOpen: [Int]
    private let database: SQLiteDatabase
    private let lock: StateLock

    /// Opens or creates the state file, locks it and migrates it to the newest schema.
    public init(path: String) throws {
        try self.init(path: path, migrations: Migration.embedded, now: Date())
    }

    init(path: String, migrations: [Migration], now: Date) throws {
        let lock = try StateLock(statePath: path)
        let database = try SQLiteDatabase(path: path)
        try database.setBusyTimeout(milliseconds: 10_000)
        let mode = try database.query("PRAGMA journal_mode = WAL") { $0.text(0) }
        guard mode.first?.lowercased() == "wal" else {
            throw StateError(.invalid, path: path, detail: "cannot use WAL journal mode (got \(mode.first ?? "nothing"))")
        }
        try database.execute("PRAGMA synchronous = NORMAL")
        try database.execute("PRAGMA foreign_keys = ON")
        migrationsAppliedAtOpen = try Migrator.migrate(database, migrations: migrations, at: now)
        self.path = path
        self.database = database
        self.lock = lock
    }

    /// Closes the database and releases the lock, so another store may open the file.
    /// Later calls fail with `StateError.Kind.closed`.
    public func close() {
        database.close()
        lock.release()
    }

    /// The migrations recorded in the database, oldest first.
    public func appliedMigrations() throws -> [AppliedMigration] {
        try Migrator.applied(database)
    }

    public func beginRun(caller: String, request: String, at: Date) throws -> Int64 {
        try database.query(
            "INSERT INTO runs (started_at_ms, caller, request, status) VALUES (?, ?, ?, ?) RETURNING id",
            [.integer(at.epochMilliseconds), .text(caller), .text(request), .text(RunSummary.running)]) { $0.integer(0) }[0]
    }

    public func finishRun(_ run: Int64, totals: String, errors: String, status: String, at: Date) throws {
        try database.run(
            "UPDATE runs SET finished_at_ms = ?, totals = ?, errors = ?, status = ? WHERE id = ?",
            [.integer(at.epochMilliseconds), .text(totals), .text(errors), .text(status), .integer(run)])
        guard database.changes == 1 else {
            throw StateError(.invalid, path: path, detail: "finish run \(run): no such run")
        }
    }

    public func runs() throws -> [RunSummary] {
        try database.query("""
            SELECT id, started_at_ms, finished_at_ms, caller, request, totals, errors, status FROM runs ORDER BY id
            """) { row in
            RunSummary(id: row.integer(0), startedAt: Date(epochMilliseconds: row.integer(1)),
                       finishedAt: row.optionalInteger(2).map(Date.init(epochMilliseconds:)),
                       caller: row.text(3), request: row.text(4), totals: row.optionalText(5),
                       errors: row.optionalText(6), status: row.text(7))
        }
    }

    public func checkpoint(for chain: DigestChain) throws -> Checkpoint? {
        guard let chainID = try ChainRows.id(of: chain, in: database) else { return nil }
        return try database.query(
            "SELECT digest_key, digest_end_time_ms, signature, sha256 FROM checkpoints WHERE chain_id = ?",
            [.integer(chainID)]) { row in
            Checkpoint(digestKey: row.text(0), digestEndTime: Date(epochMilliseconds: row.integer(1)),
                       signature: row.text(2), sha256: row.text(3))
        }.first
    }

    public func record(_ result: ChainResult, run: Int64, at: Date) throws {
        let tally = try TallyJSON.encode(result.tally, path: path)
        try database.transaction {
            let chainID = try ChainRows.ensure(result.chain, in: database)
            if let checkpoint = result.newCheckpoint {
                try database.run("""
                    INSERT INTO checkpoints (chain_id, digest_key, digest_end_time_ms, signature, sha256, run_id, updated_at_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (chain_id) DO UPDATE SET digest_key = excluded.digest_key,
                        digest_end_time_ms = excluded.digest_end_time_ms, signature = excluded.signature,
                        sha256 = excluded.sha256, run_id = excluded.run_id, updated_at_ms = excluded.updated_at_ms
                    """, [.integer(chainID), .text(checkpoint.digestKey), .integer(checkpoint.digestEndTime.epochMilliseconds),
                          .text(checkpoint.signature), .text(checkpoint.sha256), .integer(run), .integer(at.epochMilliseconds)])
            }
            try database.run("""
                INSERT INTO chain_results (run_id, chain_id, trail_arn, range_start_ms, range_end_ms, tally, error, recorded_at_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [.integer(run), .integer(chainID), .text(result.trailARN), .integer(result.rangeStart.epochMilliseconds),
                      .integer(result.rangeEnd.epochMilliseconds), .text(tally), .optionalText(result.error),
                      .integer(at.epochMilliseconds)])
            for finding in result.findings {
                try recordFinding(finding, chainID: chainID, run: run, at: at)
            }
        }
    }

    private func recordFinding(_ finding: RecordedFinding, chainID: Int64, run: Int64, at: Date) throws {
        let findingID = try database.query("""
            INSERT INTO findings (chain_id, kind, object, message, first_seen_run, first_seen_at_ms,
                                  last_seen_run, last_seen_at_ms, status)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?6, 'open')
            ON CONFLICT (chain_id, kind, object) DO UPDATE SET message = excluded.message,
                last_seen_run = excluded.last_seen_run, last_seen_at_ms = excluded.last_seen_at_ms,
                status = 'open', resolved_run = NULL, resolved_at_ms = NULL
            RETURNING id
            """, [.integer(chainID), .text(finding.kind), .text(finding.object), .text(finding.message),
                  .integer(run), .integer(at.epochMilliseconds)]) { $0.integer(0) }[0]
        try database.run(
            "INSERT OR IGNORE INTO chain_result_findings (run_id, chain_id, finding_id) VALUES (?, ?, ?)",
            [.integer(run), .integer(chainID), .integer(findingID)])
    }

    public func findings(chain: DigestChain?) throws -> [StoredFinding] {
        var filter = ""
        var binds: [SQLiteValue] = []
        if let chain {
            guard let chainID = try ChainRows.id(of: chain, in: database) else { return [] }
            filter = "WHERE f.chain_id = ?"
            binds = [.integer(chainID)]
        }
        return try database.query("""
            SELECT \(ChainRows.columns("c")), f.kind, f.object, f.message, f.first_seen_run, f.first_seen_at_ms,
                   f.last_seen_run, f.last_seen_at_ms, f.status
            FROM findings f JOIN chains c ON c.id = f.chain_id \(filter)
            ORDER BY f.chain_id, f.kind, f.object
            """, binds) { row in
            StoredFinding(chain: ChainRows.chain(row), kind: row.text(7), object: row.text(8), message: row.text(9),
                          firstSeenRun: row.integer(10), firstSeenAt: Date(epochMilliseconds: row.integer(11)),
                          lastSeenRun: row.integer(12), lastSeenAt: Date(epochMilliseconds: row.integer(13)),
                          status: row.text(14))
        }
    }

    public func resolveFindings(chain: DigestChain, notIn seen: Set<String>, run: Int64, at: Date) throws {
        try database.transaction {
            guard let chainID = try ChainRows.id(of: chain, in: database) else { return }
            let open = try database.query(
                "SELECT id, kind, object FROM findings WHERE chain_id = ? AND status = 'open'",
                [.integer(chainID)]) { (id: $0.integer(0), key: findingKey(kind: $0.text(1), object: $0.text(2))) }
            for finding in open where !seen.contains(finding.key) {
                try database.run(
                    "UPDATE findings SET status = 'resolved', resolved_run = ?, resolved_at_ms = ? WHERE id = ?",
                    [.integer(run), .integer(at.epochMilliseconds), .integer(finding.id)])
            }
        }
    }

    /// The chain results recorded by one run, with the findings each saw.
    public func chainResults(run: Int64) throws -> [StoredChainResult] {
        let results = try database.query("""
            SELECT \(ChainRows.columns("c")), r.chain_id, r.trail_arn, r.range_start_ms, r.range_end_ms, r.tally,
                   r.error, r.recorded_at_ms
            FROM chain_results r JOIN chains c ON c.id = r.chain_id WHERE r.run_id = ? ORDER BY r.chain_id
            """, [.integer(run)]) { row in
            (chainID: row.integer(7), tally: row.text(11), result: StoredChainResult(
                run: run, chain: ChainRows.chain(row), trailARN: row.text(8),
                rangeStart: Date(epochMilliseconds: row.integer(9)), rangeEnd: Date(epochMilliseconds: row.integer(10)),
                tally: ValidationTally(), error: row.optionalText(12),
                recordedAt: Date(epochMilliseconds: row.integer(13)), findingKeys: []))
        }
        return try results.map { entry in
            var result = entry.result
            result.tally = try TallyJSON.decode(entry.tally, path: path)
            result.findingKeys = try database.query("""
                SELECT f.kind, f.object FROM chain_result_findings rf JOIN findings f ON f.id = rf.finding_id
                WHERE rf.run_id = ? AND rf.chain_id = ?
                """, [.integer(run), .integer(entry.chainID)]) { findingKey(kind: $0.text(0), object: $0.text(1)) }.sorted()
            return result
        }
    }
}
