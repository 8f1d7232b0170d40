import Foundation
import Glibc

/// Writes the files commands produce (reports, simulated worlds' manifests and
/// configurations), one way for all of them. A regular file, or a symbolic link
/// to one, is replaced atomically (the link is kept and its target replaced), so
/// a reader never sees half a report; anything else a path names (/dev/stdout, a
/// terminal, a FIFO, /dev/null) is written through, never replaced; and every
/// failure, a full disk included, is an error naming the path.
enum OutputFile {
    /// The path that means standard output, as in most command-line tools.
    static let standardOutputName = "-"

    /// Why a file could not be written, in the system's words.
    struct Failure: Error, CustomStringConvertible {
        var path: String
        var reason: String
        var description: String { "\(path): cannot write: \(reason)" }
    }

    static func write(_ data: Data, to path: String) throws(Failure) {
        try write(to: path) { writeAll(data, to: $0) }
    }

    /// Writes what `body` writes to the descriptor it is given (nil when done, else the system's
    /// reason), so a file of any size is written without being held whole.
    static func write(to path: String, _ body: (Int32) -> String?) throws(Failure) {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG else {
            // A regular file, or nothing yet (a dangling link: its target is created).
            return try replace(target(of: path), with: body)
        }
        guard info.st_mode & S_IFMT != S_IFDIR else { throw Failure(path: path, reason: "it is a folder") }
        // O_NONBLOCK: a FIFO that nobody reads fails at once (ENXIO) rather than waiting forever.
        let descriptor = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else {
            throw Failure(path: path, reason: errno == ENXIO ? "nothing is reading this FIFO" : String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        if let reason = body(descriptor) { throw Failure(path: path, reason: reason) }
    }

    /// Writes every byte to `descriptor`; nil when done, else the system's reason.
    static func writeAll(_ data: Data, to descriptor: Int32) -> String? {
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> String? in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                offset += written
            }
            return nil
        }
    }

    /// The file a chain of symbolic links ends at (at most 40 links, as the kernel allows).
    private static func target(of path: String) -> String {
        var current = path
        for _ in 0..<40 {
            guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else { break }
            current = destination.hasPrefix("/") ? destination : (current as NSString).deletingLastPathComponent + "/" + destination
        }
        return current
    }

    /// A new file beside `path`, written, flushed to disk, then renamed over it; the old file's
    /// permissions are kept (a new file gets the umask's).
    private static func replace(_ path: String, with body: (Int32) -> String?) throws(Failure) {
        let folder = (path as NSString).deletingLastPathComponent
        var template = Array(((folder.isEmpty ? "." : folder) + "/.trailwarden-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw Failure(path: path, reason: String(cString: strerror(errno))) }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var existing = stat()
        let mode = stat(path, &existing) == 0 ? existing.st_mode & 0o7777 : 0o666 & ~currentUmask()
        var reason = fchmod(descriptor, mode) == 0 ? body(descriptor) : String(cString: strerror(errno))
        if reason == nil, fsync(descriptor) != 0 { reason = String(cString: strerror(errno)) }
        if close(descriptor) != 0, reason == nil { reason = String(cString: strerror(errno)) }
        if reason == nil, rename(temporary, path) != 0 { reason = String(cString: strerror(errno)) }
        if let reason {
            unlink(temporary)
            throw Failure(path: path, reason: reason)
        }
    }

    private static func currentUmask() -> mode_t {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }
}
