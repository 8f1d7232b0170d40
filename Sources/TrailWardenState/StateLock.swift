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
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
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
