import Foundation

/// The one reader for a file argument (`--config FILE`, `--public-keys FILE`):
/// a path, `-` for standard input, `/dev/stdin` or a process substitution
/// `<(…)`. Read with read(2) to the end, never stat-ed for a size or mapped,
/// so pipes and FIFOs work as well as files; bounded, so a wrong argument
/// (a device, a huge file) cannot exhaust memory. Errors name the option.
enum InputFile {
    /// Configurations and key lists are kilobytes; 16 MiB leaves room and bounds a mistake.
    static let defaultLimit = 16 << 20

    /// The name errors and messages use for `path`.
    static func displayName(_ path: String) -> String { path == "-" ? "standard input" : path }

    static func read(_ path: String, option: String, limit: Int = defaultLimit) throws(UsageError) -> Data {
        func fail(_ reason: String) -> UsageError { UsageError("--\(option) \(path): \(reason)") }
        let descriptor: Int32
        if path == "-" {
            descriptor = STDIN_FILENO
        } else {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw fail(reason(errno)) }
        }
        defer { if descriptor != STDIN_FILENO { close(descriptor) } }
        var status = stat()
        if fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFDIR { throw fail("is a directory, not a file") }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw fail(reason(errno))
            }
            if count == 0 { return data }
            data.append(contentsOf: chunk[0..<count])
            guard data.count <= limit else { throw fail("larger than \(limit >> 20) MiB; is this the right file?") }
        }
    }

    /// Standard input can be read once: two options naming it would each get part of it.
    static func checkStandardInputUsedOnce(_ uses: [(option: String, path: String)]) throws(UsageError) {
        let readers = uses.filter { $0.path == "-" }
        guard readers.count > 1 else { return }
        throw UsageError("only one option can read standard input (-): " + readers.map { "--\($0.option)" }.joined(separator: " and "))
    }

    private static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file"
        case EACCES: return "permission denied"
        default: return String(cString: strerror(code)).lowercased()
        }
    }
}
