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
        #expect(error?.description.contains("in use by another scan") == true)

        await first.close()
        _ = try await reopen(directory.statePath)
    }

    @Test func theLockIsReleasedWhenTheStoreGoesAway() async throws {
        let directory = try TemporaryDirectory()
        do { _ = try SQLiteStateStore(path: directory.statePath) }
        _ = try await reopen(directory.statePath)
    }

    /// A process holding the state file's lock (through `path`) until it is killed.
    final class Holder {
        let process = Process()

        init(locking path: String) throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", """
                import fcntl, sys, time
                f = open(sys.argv[1], "a")
                fcntl.flock(f, fcntl.LOCK_EX)
                print("locked", flush=True)
                time.sleep(600)
                """, path]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            var seen = Data()
            while !seen.contains(UInt8(ascii: "\n")) {
                let chunk = output.fileHandleForReading.availableData
                guard !chunk.isEmpty else { throw CocoaError(.fileLocking) }
                seen.append(chunk)
            }
        }

        func kill() {
            if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }

        deinit { kill() }
    }

    @Test func aKilledHolderLeavesNoStaleLock() async throws {
        let directory = try TemporaryDirectory()
        let holder = try Holder(locking: directory.statePath)
        let error = #expect(throws: StateError.self) { try SQLiteStateStore(path: directory.statePath) }
        #expect(error?.kind == .locked)

        holder.kill()
        #expect(holder.process.terminationReason == .uncaughtSignal)
        _ = try await reopen(directory.statePath)
    }

    /// Every name of one file meets the same lock: a symbolic link, a hard link, `./x` for `x`,
    /// in another process and in this one.
    @Test func everyNameOfTheStateFileMeetsOneLock() async throws {
        let directory = try TemporaryDirectory()
        try await SQLiteStateStore(path: directory.statePath).close()
        let symbolicLink = directory.url.appending(path: "alias.sqlite").path(percentEncoded: false)
        let hardLink = directory.url.appending(path: "hard.sqlite").path(percentEncoded: false)
        try FileManager.default.createSymbolicLink(atPath: symbolicLink, withDestinationPath: directory.statePath)
        try FileManager.default.linkItem(atPath: directory.statePath, toPath: hardLink)
        let dotted = directory.url.path(percentEncoded: false) + "/./state.sqlite"

        let holder = try Holder(locking: hardLink)
        for name in [symbolicLink, dotted] {
            let error = #expect(throws: StateError.self, "\(name)") { try SQLiteStateStore(path: name) }
            #expect(error?.kind == .locked)
        }
        holder.kill()

        let first = try await reopen(symbolicLink)
        for name in [directory.statePath, hardLink, dotted] {
            let error = #expect(throws: StateError.self, "\(name)") { try SQLiteStateStore(path: name) }
            #expect(error?.kind == .locked)
            #expect(error?.description.contains(name) == true)
        }
        // The refusals above opened nothing, so the first store's own SQLite locks are intact.
        _ = try await first.beginRun(caller: "test", request: "{}", at: Date())
        await first.close()
        _ = try await reopen(hardLink)
    }

    @Test func aFIFOInPlaceOfTheStateFileIsRefusedWithoutHanging() throws {
        let directory = try TemporaryDirectory()
        #expect(mkfifo(directory.statePath, 0o644) == 0)
        let error = #expect(throws: StateError.self) { try SQLiteStateStore(path: directory.statePath) }
        #expect(error?.description.contains("not a regular file") == true)
    }
}
