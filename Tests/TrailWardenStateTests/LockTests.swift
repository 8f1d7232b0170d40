import Foundation
import Testing
@testable import TrailWardenState

@Suite struct LockTests {
    /// Opens the store once its lock is free. A child process that another test
    /// spawns holds a copy of the lock's descriptor from fork until exec
    /// closes it (close-on-exec), so a release can take a moment to be seen.
    func reopen(_ path: String) async throws -> SQLiteStateStore {
        for _ in 0..<100 {
            do {
                return try SQLiteStateStore(path: path)
            } catch let error as StateError where error.kind == .locked {
                try await Task.sleep(nanoseconds: 50_000_000)
            }
        }
        return try SQLiteStateStore(path: path)
    }

    @Test func aSecondStoreOnTheSameFileIsRefusedUntilTheFirstCloses() async throws {
        let directory = try TemporaryDirectory()
        let first = try SQLiteStateStore(path: directory.statePath)
        let error = #expect(throws: StateError.self) { try SQLiteStateStore(path: directory.statePath) }
        #expect(error?.kind == .locked)
        #expect(error?.description.contains(directory.statePath) == true)
        #expect(error?.description.contains("\(directory.statePath).lock") == true)

        await first.close()
        _ = try await reopen(directory.statePath)
    }

    @Test func theLockIsReleasedWhenTheStoreGoesAway() async throws {
        let directory = try TemporaryDirectory()
        do { _ = try SQLiteStateStore(path: directory.statePath) }
        _ = try await reopen(directory.statePath)
    }

    @Test func aKilledHolderLeavesNoStaleLock() async throws {
        let directory = try TemporaryDirectory()
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", """
            import fcntl, sys, time
            f = open(sys.argv[1], "a")
            fcntl.flock(f, fcntl.LOCK_EX)
            print("locked", flush=True)
            time.sleep(600)
            """, directory.statePath + ".lock"]
        let output = Pipe()
        holder.standardOutput = output
        try holder.run()
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }

        var seen = Data()
        while !seen.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            try #require(!chunk.isEmpty, "the lock holder exited before locking")
            seen.append(chunk)
        }
        let error = #expect(throws: StateError.self) { try SQLiteStateStore(path: directory.statePath) }
        #expect(error?.kind == .locked)

        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        #expect(holder.terminationReason == .uncaughtSignal)
        _ = try await reopen(directory.statePath)
    }
}
