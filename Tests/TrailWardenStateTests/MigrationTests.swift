import Foundation
import Testing
@testable import TrailWardenState

@Suite struct MigrationTests {
    @Test func embeddedMigrationsAreNumberedFromOne() {
        #expect(Migration.embedded.map(\.version) == Array(1...Migration.embedded.count))
        #expect(Migration.embedded.first?.file == "001_initial.sql")
    }

    @Test func migrationsApplyOnceAndAreRecorded() async throws {
        let directory = try TemporaryDirectory()
        let first = try SQLiteStateStore(path: directory.statePath)
        let versions = Migration.embedded.map(\.version)
        #expect(first.migrationsAppliedAtOpen == versions)
        let recorded = try await first.appliedMigrations()
        #expect(recorded.map(\.version) == versions)
        #expect(recorded.map(\.file) == Migration.embedded.map(\.file))
        await first.close()

        let second = try SQLiteStateStore(path: directory.statePath)
        #expect(second.migrationsAppliedAtOpen.isEmpty)
        #expect(try await second.appliedMigrations() == recorded)
    }

    @Test func aLaterBinaryAppliesOnlyItsNewMigrations() async throws {
        let directory = try TemporaryDirectory()
        try await SQLiteStateStore(path: directory.statePath).close()
        let next = Migration(version: Migration.embedded.count + 1, file: "999_note.sql",
                             sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);")
        let store = try SQLiteStateStore(path: directory.statePath, migrations: Migration.embedded + [next], now: Date())
        #expect(store.migrationsAppliedAtOpen == [next.version])
        #expect(try await store.appliedMigrations().last?.file == "999_note.sql")
    }

    @Test func aFailingMigrationLeavesNothingBehind() async throws {
        let directory = try TemporaryDirectory()
        let broken = Migration(version: Migration.embedded.count + 1, file: "002_broken.sql",
                               sql: "CREATE TABLE half (id INTEGER); INSERT INTO nowhere VALUES (1);")
        let error = #expect(throws: StateError.self) {
            try SQLiteStateStore(path: directory.statePath, migrations: Migration.embedded + [broken], now: Date())
        }
        #expect(error?.kind == .migrationFailed(file: "002_broken.sql"))
        #expect(error?.description.contains(directory.statePath) == true)

        let store = try SQLiteStateStore(path: directory.statePath)
        #expect(store.migrationsAppliedAtOpen == Migration.embedded.map(\.version))
    }

    @Test func aNewerDatabaseIsRefusedWithOneClearLine() async throws {
        let directory = try TemporaryDirectory()
        try await SQLiteStateStore(path: directory.statePath).close()
        let newer = Migration.embedded.count + 5
        do {
            let database = try SQLiteDatabase(path: directory.statePath)
            try database.run("INSERT INTO schema_version (version, file, applied_at_ms) VALUES (?, 'future.sql', 0)",
                             [.integer(Int64(newer))])
        }

        let error = #expect(throws: StateError.self) { try SQLiteStateStore(path: directory.statePath) }
        let known = Migration.embedded.count
        #expect(error?.kind == .newerSchema(database: newer, binary: known))
        let message = error?.description ?? ""
        #expect(message.contains(directory.statePath))
        #expect(message.contains("schema version \(newer)"))
        #expect(message.contains("(\(known), "))
        #expect(!message.contains("\n"))
    }

    @Test func anotherApplicationsDatabaseIsRefusedAndLeftByteIdentical() throws {
        let directory = try TemporaryDirectory()
        do {
            let database = try SQLiteDatabase(path: directory.statePath)
            try database.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER); INSERT INTO invoices VALUES (1, 100);")
            try database.execute("CREATE TABLE schema_version (version INTEGER)")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: directory.statePath))
        let error = #expect(throws: StateError.self) { try SQLiteStateStore(path: directory.statePath) }
        let message = error?.description ?? ""
        #expect(message.contains(directory.statePath))
        #expect(message.contains("not a TrailWarden state file (it holds invoices, schema_version"))
        #expect(!message.contains("\n"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.statePath)) == before)
    }

    @Test func anEmptyFileIsANewStateFile() async throws {
        let directory = try TemporaryDirectory()
        #expect(FileManager.default.createFile(atPath: directory.statePath, contents: Data()))
        let store = try SQLiteStateStore(path: directory.statePath)
        #expect(store.migrationsAppliedAtOpen == Migration.embedded.map(\.version))
    }
}
