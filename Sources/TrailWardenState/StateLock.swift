import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive advisory lock on `<state file>.lock`, held for the store's lifetime.
///
/// Why flock: two scans on one state would interleave checkpoints and findings. The kernel
/// drops a flock when its descriptor closes, including when the process dies, so a killed
/// scan never leaves a stale lock behind (unlike a PID file). Locks belong to the open file
/// description, so a second store in the same process is refused too.
final class StateLock {
    /// How long a held lock is waited for before the store is refused. A lock
    /// being released can stay held for a moment: a child process forked by
    /// the host keeps a copy of the descriptor until its exec closes it.
    static let releaseGrace: Double = 2

    /// flock without blocking, retried for `releaseGrace` while another holder has it.
    private static func lock(_ descriptor: Int32) -> Int32 {
        let deadline = Date().addingTimeInterval(releaseGrace)
        while true {
            let result = flock(descriptor, LOCK_EX | LOCK_NB)
            if result == 0 || errno != EWOULDBLOCK || Date() >= deadline { return result }
            usleep(50_000)
        }
    }

    let lockPath: String
    private var descriptor: Int32

    init(statePath: String) throws {
        lockPath = statePath + ".lock"
        descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let code = errno
            throw StateError(.lockFile(errno: code), path: statePath,
                             detail: "cannot open lock file \(lockPath): \(String(cString: strerror(code)))")
        }
        guard StateLock.lock(descriptor) == 0 else {
            let code = errno
            close(descriptor)
            if code == EWOULDBLOCK {
                throw StateError(.locked, path: statePath,
                                 detail: "in use by another scan (\(lockPath) is locked); wait for it to finish or use another state file")
            }
            throw StateError(.lockFile(errno: code), path: statePath,
                             detail: "cannot lock \(lockPath): \(String(cString: strerror(code)))")
        }
    }

    deinit { release() }

    /// Releases the lock; the lock file stays, as removing it would race with a new locker.
    func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }
}
