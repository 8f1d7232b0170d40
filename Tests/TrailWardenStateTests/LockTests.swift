import Foundation
import Testing
@testable import TrailWardenState

@Suite struct LockTests {
    @Test func aSecondStoreOnTheSameFileIsRefusedUntilTheFirstCloses() async throws {
        let directory = try TemporaryDirectory()
        let first = try SQLiteStateStore(path: directory.statePath)
        let error = #expect(throws: StateError.self) { try SQLiteStateStore(path: directory.statePath) }
        #expect(error?.kind == .locked)
        #expect(error?.description.contains(directory.statePath) == true)
        #expect(error?.description.contains("\(directory.statePath).lock") == true)

        await first.close()
        _ = try SQLiteStateStore(path: directory.statePath)
    }

    @Test func theLockIsReleasedWhenTheStoreGoesAway() throws {
        let directory = try TemporaryDirectory()
        do { _ = try SQLiteStateStore(path: directory.statePath) }
        _ = try SQLiteStateStore(path: directory.statePath)
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
        _ = try SQLiteStateStore(path: directory.statePath)
    }
}
