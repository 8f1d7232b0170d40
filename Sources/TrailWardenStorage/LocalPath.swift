#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A path in the local store as the bytes the kernel sees, with the few POSIX calls the
/// store makes on it.
///
/// Why POSIX rather than FileManager: FileManager's enumerator silently skips what it
/// cannot read and drops names that are not UTF-8, and its URLs cannot hold such names.
/// Here every failure comes back with its errno, and names are bytes.
struct LocalPath {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }
    init(_ text: String) { bytes = Array(text.utf8) }

    func appending(_ name: [UInt8]) -> LocalPath {
        appending([name][...])
    }

    /// The names appended one after another, in one buffer.
    func appending(_ names: ArraySlice<[UInt8]>) -> LocalPath {
        var path = bytes
        path.reserveCapacity(bytes.count + names.reduce(0) { $0 + $1.count + 1 })
        for name in names {
            if path.last != UInt8(ascii: "/") { path.append(UInt8(ascii: "/")) }
            path += name
        }
        return LocalPath(path)
    }

    /// The path for messages: one line, names that are not UTF-8 escaped.
    var display: String { KeyText.escaped(LocalFileName.keyText(of: bytes)) }

    /// The path as a C string, NUL-terminated in a temporary buffer (on the stack for any
    /// ordinary path) rather than a new array per system call.
    private func call<T>(_ body: (UnsafePointer<CChar>) -> T) -> T {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer in
            bytes.withUnsafeBytes { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: $0) }
            buffer[bytes.count] = 0
            return body(buffer.baseAddress!)
        }
    }

    /// stat (following symbolic links) or lstat; the errno on failure.
    func status(followingLinks: Bool = true) -> Result<stat, Errno> {
        var info = stat()
        let result = call { followingLinks ? stat($0, &info) : lstat($0, &info) }
        return result == 0 ? .success(info) : .failure(Errno(errno))
    }

    /// The names in this directory, but `.` and `..`, in no particular order.
    func directoryEntries() -> Result<[[UInt8]], Errno> {
        guard let directory = call({ opendir($0) }) else { return .failure(Errno(errno)) }
        defer { closedir(directory) }
        var names = [[UInt8]]()
        while true {
            errno = 0
            guard let entry = readdir(directory) else {
                return errno == 0 ? .success(names) : .failure(Errno(errno))
            }
            // The name is read where it lies, up to its NUL: a `dirent` copied whole (all 256 bytes
            // of `d_name`) reads past a short last record, beyond the end of readdir's buffer.
            let name = withUnsafeMutablePointer(to: &entry.pointee.d_name) { field in
                let start = UnsafeRawPointer(field).assumingMemoryBound(to: CChar.self)
                return Array(UnsafeRawBufferPointer(start: start, count: strlen(start)))
            }
            if name != [UInt8(ascii: ".")], name != [UInt8(ascii: "."), UInt8(ascii: ".")] { names.append(name) }
        }
    }

    /// Opens for reading without ever blocking (a FIFO would block a plain open) and
    /// without becoming the controlling terminal.
    func openForReading() -> Result<Int32, Errno> {
        let descriptor = call { open($0, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY) }
        return descriptor >= 0 ? .success(descriptor) : .failure(Errno(errno))
    }

    /// Creates this directory and its missing parents.
    func makeDirectories() -> Result<Void, Errno> {
        var partial = [UInt8]()
        for (index, byte) in bytes.enumerated() {
            partial.append(byte)
            guard index > 0, byte == UInt8(ascii: "/") || index == bytes.count - 1 else { continue }
            if LocalPath(partial).call({ mkdir($0, 0o755) }) != 0, errno != EEXIST { return .failure(Errno(errno)) }
        }
        return .success(())
    }

    /// Writes `body` to a temporary file beside this path and renames it over the path.
    func writeAtomically(_ body: [UInt8]) -> Result<Void, Errno> {
        let temporary = LocalPath(bytes + Array(".partial-\(getpid())-\(UInt64.random(in: 0...UInt64.max))".utf8))
        let descriptor = temporary.call { open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) }
        guard descriptor >= 0 else { return .failure(Errno(errno)) }
        var written = 0
        while written < body.count {
            let count = body.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, body.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                let code = errno
                close(descriptor)
                _ = temporary.remove()
                return .failure(Errno(code))
            }
            written += count
        }
        guard close(descriptor) == 0, temporary.call({ source in call { rename(source, $0) } }) == 0 else {
            let code = errno
            _ = temporary.remove()
            return .failure(Errno(code))
        }
        return .success(())
    }

    /// Removes this file; removing a file that does not exist succeeds.
    func remove() -> Result<Void, Errno> {
        call { unlink($0) } == 0 || errno == ENOENT ? .success(()) : .failure(Errno(errno))
    }
}

/// read(2) on an open descriptor, outside any type whose own `read` would shadow it.
func readSome(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
    read(descriptor, buffer.baseAddress, buffer.count)
}

/// An errno value, with its text for messages.
struct Errno: Error, Equatable {
    let code: Int32
    init(_ code: Int32) { self.code = code }
    var text: String { String(cString: strerror(code)) }
}

extension stat {
    var isDirectory: Bool { st_mode & S_IFMT == S_IFDIR }
    var isRegularFile: Bool { st_mode & S_IFMT == S_IFREG }
    var isSymbolicLink: Bool { st_mode & S_IFMT == S_IFLNK }

    /// What a file that is neither a regular file nor a directory is, for messages.
    var kindName: String {
        switch st_mode & S_IFMT {
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFLNK: return "a symbolic link"
        default: return "not a regular file"
        }
    }
}
