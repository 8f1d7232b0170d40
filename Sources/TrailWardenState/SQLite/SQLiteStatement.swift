internal import CSQLite

/// A value bound to a statement parameter.
enum SQLiteValue {
    case integer(Int64)
    case text(String)
    case null

    static func optionalText(_ value: String?) -> SQLiteValue { value.map(SQLiteValue.text) ?? .null }
    static func optionalInteger(_ value: Int64?) -> SQLiteValue { value.map(SQLiteValue.integer) ?? .null }
}

/// A prepared statement with typed binds and column reads; finalized on deinit.
final class SQLiteStatement {
    private let database: SQLiteDatabase
    private let sql: String
    private var handle: OpaquePointer?

    init(database: SQLiteDatabase, sql: String) throws {
        self.database = database
        self.sql = sql
        let code = sqlite3_prepare_v2(try database.connection(), sql, -1, &handle, nil)
        guard code == SQLITE_OK else {
            sqlite3_finalize(handle)
            throw database.error(code, "prepare \(sql)")
        }
    }

    deinit { sqlite3_finalize(handle) }

    /// Binds `values` to parameters 1, 2, 3…
    func bind(_ values: [SQLiteValue]) throws {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .integer(let number): code = sqlite3_bind_int64(handle, index, number)
            case .text(let text): code = sqlite3_bind_text(handle, index, text, Int32(text.utf8.count), trailwarden_sqlite_transient())
            case .null: code = sqlite3_bind_null(handle, index)
            }
            guard code == SQLITE_OK else { throw database.error(code, "bind parameter \(index) of \(sql)") }
        }
    }

    /// Advances to the next row: true if there is one, false when done.
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: throw database.error(code, sql)
        }
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func integer(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func optionalInteger(_ column: Int32) -> Int64? { isNull(column) ? nil : integer(column) }

    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }
}
