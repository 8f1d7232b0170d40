import Foundation
import TrailWardenCore
import TrailWardenVocabulary

/// Scan state in one SQLite file: checkpoints, findings history and runs.
///
/// Why these settings: WAL with synchronous=NORMAL keeps every committed transaction across a
/// process crash (a power loss may lose the last few, which only means validating them
/// again); each chain's result is one transaction, so a killed scan leaves each chain either
/// fully recorded or not at all. The busy timeout covers readers such as a report command.
/// A flock on the state file itself, held until `close()` or deinit, refuses a second scan
/// whatever name it opens the file by; a SQLite file that is not TrailWarden's is refused untouched.
/// Times are stored as INTEGER epoch milliseconds (UTC).
public actor SQLiteStateStore: StateStore {
    /// The state (database) file.
    public nonisolated let path: String
    /// The migration versions this open applied (empty when the database was current).
    public nonisolated let migrationsAppliedAtOpen: [Int]
    let database: SQLiteDatabase
    private let lock: StateLock

    /// Opens or creates the state file, locks it and migrates it to the newest schema.
    public init(path: String) throws {
        try self.init(path: path, migrations: Migration.embedded, now: Date())
    }

    init(path: String, migrations: [Migration], now: Date) throws {
        let lock = try StateLock(statePath: path)
        let database: SQLiteDatabase
        do {
            database = try SQLiteDatabase(path: path)
            lock.closesFirst = database
        } catch {
            lock.release()
            throw error
        }
        do {
            try database.setBusyTimeout(milliseconds: 10_000)
            // Before anything writes: switching to WAL rewrites the header of another application's file.
            try Migrator.refuseForeign(database, migrations: migrations)
            let mode = try database.query("PRAGMA journal_mode = WAL") { $0.text(0) }
            guard mode.first?.lowercased() == "wal" else {
                throw StateError(.invalid, path: path, detail: "cannot use WAL journal mode (got \(mode.first ?? "nothing"))")
            }
            try database.execute("PRAGMA synchronous = NORMAL")
            migrationsAppliedAtOpen = try Migrator.migrate(database, migrations: migrations, at: now)
            try database.execute("PRAGMA foreign_keys = ON")
        } catch {
            lock.release()
            throw error
        }
        self.path = path
        self.database = database
        self.lock = lock
    }

    /// Closes the database and releases the lock, so another store may open the file.
    /// Later calls fail with `StateError.Kind.closed`.
    public func close() {
        lock.release()
    }

    /// Runs `body` on the open database inside the actor (for tests and maintenance).
    func withDatabase<T: Sendable>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
        try body(database)
    }

    /// The migrations recorded in the database, oldest first.
    public func appliedMigrations() throws -> [AppliedMigration] {
        try Migrator.applied(database)
    }

    /// Records this build's version with the run.
    public func beginRun(caller: String, configurationSHA256: String? = nil, request: String, at: Date) throws -> Int64 {
        try database.query("""
            INSERT INTO runs (started_at_ms, caller, configuration_sha256, trailwarden_version, request, status)
            VALUES (?, ?, ?, ?, ?, ?) RETURNING id
            """, [.integer(at.epochMilliseconds), .text(caller), .optionalText(configurationSHA256), .text(TrailWardenVersion.current),
                  .text(request), .text(RunStatus.running.rawValue)]) { $0.integer(0) }[0]
    }

    public func finishRun(_ run: Int64, status: RunStatus, totals: RunTotals?, errors: [String], at: Date) throws {
        try database.run(
            "UPDATE runs SET finished_at_ms = ?, totals = ?, errors = ?, status = ? WHERE id = ?",
            [.integer(at.epochMilliseconds), .optionalText(try totals.map { try StoredJSON.encode($0, path: path) }),
             .text(try StoredJSON.encode(errors, path: path)), .text(status.rawValue), .integer(run)])
        guard database.changes == 1 else {
            throw StateError(.invalid, path: path, detail: "finish run \(run): no such run")
        }
    }

    public func runs() throws -> [RunSummary] {
        let rows = try database.query("""
            SELECT id, started_at_ms, finished_at_ms, caller, request, totals, errors, status, configuration_sha256, trailwarden_version
            FROM runs ORDER BY id
            """) { row in
            (summary: RunSummary(id: row.integer(0), startedAt: Date(epochMilliseconds: row.integer(1)),
                                 finishedAt: row.optionalInteger(2).map(Date.init(epochMilliseconds:)),
                                 caller: row.text(3), request: row.text(4), totals: nil, errors: nil, status: .running,
                                 configurationSHA256: row.optionalText(8), trailwardenVersion: row.optionalText(9)),
             totals: row.optionalText(5), errors: row.optionalText(6), status: row.text(7))
        }
        return try rows.map { row in
            var summary = row.summary
            guard let status = RunStatus(rawValue: row.status) else {
                throw StateError(.invalid, path: path, detail: "run \(summary.id) has an unknown status \"\(row.status)\"")
            }
            summary.status = status
            // A run that failed before counting stored "{}" before totals were typed.
            summary.totals = try row.totals.flatMap { $0 == "{}" ? nil : try StoredJSON.decode(RunTotals.self, $0, path: path) }
            summary.errors = try row.errors.map { try StoredJSON.decode([String].self, $0, path: path) }
            return summary
        }
    }

    public func checkpoint(for chain: DigestChain) throws -> Checkpoint? {
        guard let chainID = try ChainRows.id(of: chain, in: database) else { return nil }
        return try database.query(
            """
            SELECT digest_key, digest_end_time_ms, signature, sha256, examined_digest_key, examined_end_time_ms,
                   unreferenced_checked_through_ms FROM checkpoints WHERE chain_id = ?
            """,
            [.integer(chainID)]) { row in
            Checkpoint(digestKey: row.text(0), digestEndTime: Date(epochMilliseconds: row.integer(1)),
                       signature: row.text(2), sha256: row.text(3),
                       examined: row.optionalText(4).map { ExaminedDigest(key: $0, endTime: Date(epochMilliseconds: row.integer(5))) },
                       unreferencedCheckedThrough: row.optionalInteger(6).map(Date.init(epochMilliseconds:)))
        }.first
    }

    public func record(_ result: ChainResult, run: Int64, at: Date) throws {
        let tally = try StoredJSON.encode(result.tally, path: path)
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
            // No digest of the chain validated yet: a checkpoint with no digest (empty fields,
            // end 0) still keeps where the examination reached, so the next run starts after it.
            if result.newCheckpoint == nil, result.newestExamined != nil {
                try database.run("""
                    INSERT INTO checkpoints (chain_id, digest_key, digest_end_time_ms, signature, sha256, run_id, updated_at_ms)
                    VALUES (?, '', 0, '', '', ?, ?) ON CONFLICT (chain_id) DO NOTHING
                    """, [.integer(chainID), .integer(run), .integer(at.epochMilliseconds)])
            }
            // Past the checkpoint just written (or kept); a newer valid digest makes it moot.
            if let examined = result.newestExamined {
                try database.run("""
                    UPDATE checkpoints SET examined_digest_key = ?, examined_end_time_ms = ?
                    WHERE chain_id = ? AND digest_end_time_ms < ?
                    """, [.text(examined.key), .integer(examined.endTime.epochMilliseconds), .integer(chainID),
                          .integer(examined.endTime.epochMilliseconds)])
            }
            // Only forward: a rescan of an older range must not send the next run back over it.
            if let searched = result.unreferencedCheckedThrough {
                try database.run("""
                    UPDATE checkpoints SET unreferenced_checked_through_ms = ?1
                    WHERE chain_id = ?2 AND (unreferenced_checked_through_ms IS NULL OR unreferenced_checked_through_ms < ?1)
                    """, [.integer(searched.epochMilliseconds), .integer(chainID)])
            }
            try database.run("""
                INSERT INTO chain_results (run_id, chain_id, trail_arn, range_start_ms, range_end_ms, tally, error, recorded_at_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [.integer(run), .integer(chainID), .text(result.trailARN), .integer(result.rangeStart.epochMilliseconds),
                      .integer(result.rangeEnd.epochMilliseconds), .text(tally), .optionalText(result.error),
                      .integer(at.epochMilliseconds)])
            var seen = [Int64]()
            for finding in result.findings {
                let findingID = try FindingRows.upsert(finding, account: result.chain.accountID, chainID: chainID, run: run, at: at,
                                                       in: database)
                try database.run(
                    "INSERT OR IGNORE INTO chain_result_findings (run_id, chain_id, finding_id) VALUES (?, ?, ?)",
                    [.integer(run), .integer(chainID), .integer(findingID)])
                seen.append(findingID)
            }
            for span in result.coverage {
                try database.run(
                    "INSERT INTO coverage_spans (run_id, chain_id, start_ms, end_ms, state) VALUES (?, ?, ?, ?, ?)",
                    [.integer(run), .integer(chainID), .integer(span.start.epochMilliseconds), .integer(span.end.epochMilliseconds),
                     .text(span.state.rawValue)])
            }
            if result.error == nil {
                try resolveChainFindings(chainID: chainID, notIn: seen, rangeStart: result.rangeStart, rangeEnd: result.rangeEnd,
                                         run: run, at: at)
            }
        }
    }

    /// Resolves the open findings of a chain whose last sighting came from a result this one
    /// re-examined completely (its range inside this range) without seeing them again.
    private func resolveChainFindings(chainID: Int64, notIn seen: [Int64], rangeStart: Date, rangeEnd: Date, run: Int64, at: Date) throws {
        let candidates = try database.query("""
            SELECT f.id FROM findings f JOIN chain_results r ON r.run_id = f.last_seen_run AND r.chain_id = f.chain_id
            WHERE f.chain_id = ? AND f.status = 'open' AND f.last_seen_run <> ? AND r.range_start_ms >= ? AND r.range_end_ms <= ?
            """, [.integer(chainID), .integer(run), .integer(rangeStart.epochMilliseconds), .integer(rangeEnd.epochMilliseconds)]) {
            $0.integer(0)
        }
        for finding in candidates where !seen.contains(finding) {
            try FindingRows.resolve(finding, run: run, at: at, in: database)
        }
    }

    public func record(_ result: AccountResult, run: Int64, at: Date) throws {
        try database.transaction {
            for error in result.errors {
                try database.run("INSERT INTO account_errors (run_id, account_id, message) VALUES (?, ?, ?)",
                                 [.integer(run), .text(result.accountID), .text(error)])
            }
            var seen = Set<Int64>()
            for finding in result.postureFindings {
                seen.insert(try FindingRows.upsert(finding, account: result.accountID, chainID: nil, run: run, at: at, in: database))
            }
            let open = try database.query(
                "SELECT id, kind FROM findings WHERE account_id = ? AND chain_id IS NULL AND status = 'open'",
                [.text(result.accountID)]) { (id: $0.integer(0), kind: FindingKind(rawValue: $0.text(1))) }
            for finding in open where !seen.contains(finding.id) && result.resolves(kind: finding.kind) {
                try FindingRows.resolve(finding.id, run: run, at: at, in: database)
            }
        }
    }

    public func findings(chain: DigestChain?) throws -> [StoredFinding] {
        guard let chain else { return try FindingRows.select("", [], in: database) }
        guard let chainID = try ChainRows.id(of: chain, in: database) else { return [] }
        return try FindingRows.select("WHERE f.chain_id = ?", [.integer(chainID)], in: database)
    }

    public func pendingAlarms(target: String) throws -> [StoredFinding] {
        try FindingRows.select("WHERE NOT EXISTS (SELECT 1 FROM alarm_deliveries d WHERE d.finding_id = f.id AND d.target = ?)",
                               [.text(target)], orderBy: "f.first_seen_at_ms, f.id", in: database)
    }

    public func recordAlarm(_ outcome: AlarmOutcomeRecord, delivered: [Int64], at: Date) throws {
        try database.transaction {
            for finding in delivered {
                try database.run("""
                    INSERT OR IGNORE INTO alarm_deliveries (finding_id, target, run_id, delivered_at_ms) VALUES (?, ?, ?, ?)
                    """, [.integer(finding), .text(outcome.target), .integer(outcome.run), .integer(at.epochMilliseconds)])
            }
            try database.run("""
                INSERT INTO alarm_outcomes (run_id, target, status, findings, attempts, error, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (run_id, target) DO UPDATE SET status = excluded.status, findings = excluded.findings,
                    attempts = excluded.attempts, error = excluded.error, at_ms = excluded.at_ms
                """, [.integer(outcome.run), .text(outcome.target), .text(outcome.status.rawValue), .integer(Int64(outcome.findings)),
                      .integer(Int64(outcome.attempts)), .optionalText(outcome.error), .integer(at.epochMilliseconds)])
        }
    }

    /// The chain results recorded by one run, with the findings each saw.
    public func chainResults(run: Int64) throws -> [StoredChainResult] {
        try ResultRows.select("WHERE r.run_id = ?", [.integer(run)], in: database)
    }
}
