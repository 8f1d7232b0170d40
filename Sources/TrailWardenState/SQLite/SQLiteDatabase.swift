internal import CSQLite

/// One SQLite connection, confined to its owner (the store actor); closed on deinit.
///
/// Internal on purpose: callers see scan state, not SQL. Errors carry sqlite3_errmsg and the
/// database path so they can be reported as they are.
final class SQLiteDatabase {
    let path: String
    private var handle: OpaquePointer?

    init(path: String) throws {
        self.path = path
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(db)
            throw StateError(.sqlite(code: code), path: path, detail: "cannot open: \(message)")
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
    }

    deinit { close() }

    /// Closes the connection; later calls fail with `StateError.Kind.closed`.
    func close() {
        sqlite3_close_v2(handle)
        handle = nil
    }

    func connection() throws -> OpaquePointer {
        guard let handle else { throw StateError(.closed, path: path, detail: "the state store is closed") }
        return handle
    }

    /// An error for the connection's last failure, with what was being done.
    func error(_ code: Int32, _ doing: String) -> StateError {
        let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
        return StateError(.sqlite(code: code), path: path, detail: "\(doing): \(message)")
    }

    /// Runs SQL text that may hold several statements and returns no rows.
    func execute(_ sql: String, doing: String? = nil) throws {
        let code = sqlite3_exec(try connection(), sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw error(code, doing ?? sql) }
    }

    func prepare(_ sql: String) throws -> SQLiteStatement {
        try SQLiteStatement(database: self, sql: sql)
    }

    /// Runs one statement with binds, discarding rows.
    func run(_ sql: String, _ values: [SQLiteValue] = []) throws {
        let statement = try prepare(sql)
        try statement.bind(values)
        while try statement.step() {}
    }

    /// Runs one query, mapping every row.
    func query<T>(_ sql: String, _ values: [SQLiteValue] = [], _ row: (SQLiteStatement) throws -> T) throws -> [T] {
        let statement = try prepare(sql)
        try statement.bind(values)
        var rows: [T] = []
        while try statement.step() { rows.append(try row(statement)) }
        return rows
    }

    /// Runs `body` in a write transaction: committed if it returns, rolled back if it throws.
    /// BEGIN IMMEDIATE takes the write lock up front, so the busy timeout applies there and
    /// never in the middle of the body.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE", doing: "begin transaction")
        do {
            let value = try body()
            try execute("COMMIT", doing: "commit")
            return value
        } catch {
            if let handle, sqlite3_get_autocommit(handle) == 0 {
                sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
            }
            throw error
        }
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int {
        handle.map { Int(sqlite3_changes($0)) } ?? 0
    }

    /// How long a statement waits for another connection's lock before failing with SQLITE_BUSY.
    func setBusyTimeout(milliseconds: Int32) throws {
        let code = sqlite3_busy_timeout(try connection(), milliseconds)
        guard code == SQLITE_OK else { throw error(code, "set busy timeout") }
    }
}
