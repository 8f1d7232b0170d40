import Foundation

/// One numbered file of `migrations/`, embedded at build time by the EmbedMigrations plugin
/// (see `Migration.embedded`, generated), so the binary carries its schema with it.
struct Migration: Sendable {
    let version: Int
    let file: String
    let sql: String
}

/// A migration as recorded in the database's `schema_version` table.
public struct AppliedMigration: Sendable, Equatable {
    public var version: Int
    public var file: String
    public var appliedAt: Date
}

/// Brings a database up to the newest embedded migration.
///
/// Rules: the current version is MAX(version) of `schema_version`, or 0 when the table does
/// not exist yet (001 creates it, so the schema lives only in `migrations/`). All pending
/// migrations apply in order inside one transaction, each recorded as it applies; any
/// failure rolls all of them back. A database newer than the binary is refused untouched, and
/// so is another application's database (`refuseForeign`).
/// Migrations run with foreign keys off (the caller turns them on afterwards), so a migration
/// may rebuild a table others refer to; `PRAGMA foreign_key_check` must then find nothing
/// dangling, or everything is rolled back.
enum Migrator {
    /// Returns the versions applied now (empty when the database was current).
    static func migrate(_ database: SQLiteDatabase, migrations: [Migration], at now: Date) throws -> [Int] {
        try database.transaction {
            let current = try currentVersion(database)
            let newest = migrations.last?.version ?? 0
            if current > newest {
                let file = migrations.last?.file ?? "none"
                throw StateError(.newerSchema(database: current, binary: newest), path: database.path,
                                 detail: "schema version \(current) is newer than this trailwarden knows (\(newest), \(file)); use a newer trailwarden")
            }
            var applied: [Int] = []
            for migration in migrations where migration.version > current {
                do {
                    try database.execute(migration.sql, doing: "migration \(migration.file)")
                } catch let error as StateError {
                    throw StateError(.migrationFailed(file: migration.file), path: database.path, detail: error.detail)
                }
                try database.run("INSERT INTO schema_version (version, file, applied_at_ms) VALUES (?, ?, ?)",
                                 [.integer(Int64(migration.version)), .text(migration.file), .integer(now.epochMilliseconds)])
                applied.append(migration.version)
            }
            let dangling = try database.query("PRAGMA foreign_key_check") { "\($0.text(0)) → \($0.text(2))" }
            if let first = dangling.first, let file = migrations.last?.file {
                throw StateError(.migrationFailed(file: file), path: database.path,
                                 detail: "\(dangling.count) rows refer to missing rows after migrating (first: \(first))")
            }
            return applied
        }
    }

    /// Refuses, without changing a byte, a database that is not TrailWarden's: one that holds
    /// anything while lacking TrailWarden's `schema_version` (version, file, applied_at_ms) or
    /// whose version 1 is not the first embedded migration. An empty database is new.
    static func refuseForeign(_ database: SQLiteDatabase, migrations: [Migration]) throws {
        let objects = try database.query(
            "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name") { $0.text(0) }
        guard !objects.isEmpty else { return }
        let columns = try database.query("SELECT name FROM pragma_table_info('schema_version')") { $0.text(0) }
        if Set(columns).isSuperset(of: ["version", "file", "applied_at_ms"]) {
            let first = try database.query("SELECT file FROM schema_version WHERE version = 1") { $0.text(0) }
            if first == migrations.first.map({ [$0.file] }) { return }
        }
        let shown = objects.prefix(3).joined(separator: ", ") + (objects.count > 3 ? ", …" : "")
        throw StateError(.invalid, path: database.path,
                         detail: "not a TrailWarden state file (it holds \(shown) and no TrailWarden schema_version); it was left unchanged; use another state file")
    }

    static func currentVersion(_ database: SQLiteDatabase) throws -> Int {
        let exists = try database.query(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'") { $0.integer(0) }
        guard exists.first == 1 else { return 0 }
        let version = try database.query("SELECT max(version) FROM schema_version") { $0.optionalInteger(0) }
        return Int(version.first.flatMap { $0 } ?? 0)
    }

    static func applied(_ database: SQLiteDatabase) throws -> [AppliedMigration] {
        try database.query("SELECT version, file, applied_at_ms FROM schema_version ORDER BY version") {
            AppliedMigration(version: Int($0.integer(0)), file: $0.text(1), appliedAt: Date(epochMilliseconds: $0.integer(2)))
        }
    }
}
