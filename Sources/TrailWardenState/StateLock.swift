import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive advisory lock on the state file itself, held for the store's lifetime.
///
/// Why flock on the state file's own descriptor: two scans on one state would interleave
/// checkpoints and findings, double every tally and alarm twice. A flock belongs to the file
/// (its inode), not to the name it was opened by, so a symbolic link, a hard link, a bind
/// mount or `./x` for `x` all meet the same lock. The kernel drops a flock when its descriptor
/// closes, including when the process dies, so a killed scan never leaves a stale lock (unlike a
/// PID file). flock and SQLite's own POSIX byte-range locks do not interact on Linux.
///
/// One care SQLite imposes: closing any descriptor of the database file drops every POSIX
/// lock the process holds on it, including SQLite's. So the descriptor is closed only after
/// the database (`closesFirst`), and a second store in the same process is refused
/// from a table of the files locked here, before it opens anything.
final class StateLock {
    /// How long a held lock is waited for before the store is refused. A lock
    /// being released can stay held for a moment: a child process forked by
    /// the host keeps a copy of the descriptor until its exec closes it.
    static let releaseGrace: Double = 2

    private struct FileIdentity: Hashable {
        let device: UInt64
        let inode: UInt64
        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
    }

    /// The files this process holds locked: one mutable set behind one lock, shared by all stores.
    private final class HeldFiles: @unchecked Sendable {
        private let lock = NSLock()
        private var files = Set<FileIdentity>()

        func contains(_ file: FileIdentity) -> Bool { lock.withLock { files.contains(file) } }
        func insert(_ file: FileIdentity) -> Bool { lock.withLock { files.insert(file).inserted } }
        func remove(_ file: FileIdentity) { _ = lock.withLock { files.remove(file) } }
    }

    private static let held = HeldFiles()

    private let identity: FileIdentity
    private var descriptor: Int32
    /// The connection to the locked file, closed before the lock's descriptor, whichever of
    /// the store's properties goes first.
    var closesFirst: SQLiteDatabase?

    /// Creates the state file if it does not exist (an empty file is a new SQLite database),
    /// then locks it, waiting up to `releaseGrace` for a holder that is letting go.
    init(statePath: String) throws {
        func failure(_ doing: String, _ code: Int32) -> StateError {
            StateError(.lockFile(errno: code), path: statePath, detail: "cannot \(doing): \(String(cString: strerror(code)))")
        }
        let deadline = Date().addingTimeInterval(StateLock.releaseGrace)
        while true {
            var info = stat()
            // Looked up before opening: a store of this process may hold it (see above), and a
            // FIFO or device in the state file's place is refused without being opened.
            let exists = stat(statePath, &info) == 0
            if exists, info.st_mode & S_IFMT != S_IFREG { throw StateLock.notRegular(statePath) }
            var ownedHere = exists && StateLock.held.contains(FileIdentity(info))
            if !ownedHere {
                let opened = open(statePath, O_RDONLY | O_CREAT | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0o644)
                guard opened >= 0 else { throw failure("open the state file", errno) }
                guard fstat(opened, &info) == 0 else {
                    let code = errno
                    close(opened)
                    throw failure("examine the state file", code)
                }
                guard info.st_mode & S_IFMT == S_IFREG else {
                    close(opened)
                    throw StateLock.notRegular(statePath)
                }
                let file = FileIdentity(info)
                // Only a store of this process created it between the stat and the open can hold it now.
                ownedHere = !StateLock.held.insert(file)
                if !ownedHere, flock(opened, LOCK_EX | LOCK_NB) == 0 {
                    identity = file
                    descriptor = opened
                    return
                }
                let code = errno
                if !ownedHere { StateLock.held.remove(file) }
                close(opened)
                guard ownedHere || code == EWOULDBLOCK else { throw failure("lock the state file", code) }
            }
            // A store of this process lets go only when closed: no child holds it, so no wait.
            guard !ownedHere, Date() < deadline else {
                throw StateError(.locked, path: statePath,
                                 detail: "in use by another scan (the file is locked\(ownedHere ? " by this process" : "")); wait for it to finish or use another state file")
            }
            usleep(50_000)
        }
    }

    private static func notRegular(_ statePath: String) -> StateError {
        StateError(.invalid, path: statePath, detail: "not a regular file (a FIFO, socket, device or folder); it was not opened")
    }

    deinit { release() }

    /// Closes the connection, then releases the lock.
    func release() {
        closesFirst?.close()
        closesFirst = nil
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        StateLock.held.remove(identity)
    }
}
