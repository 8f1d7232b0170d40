import Foundation

/// Where a command writes: standard output and standard error, or a capture
/// in tests. Commands write whole lines in order; a sink need not be
/// thread-safe because commands write from one task.
public protocol OutputSink: AnyObject {
    func out(_ text: String)
    func err(_ text: String)
    /// Writes anything buffered.
    func flush()
    /// Whether what `err` writes reaches a terminal (progress is drawn differently there).
    var standardErrorIsTerminal: Bool { get }
}

extension OutputSink {
    public var standardErrorIsTerminal: Bool { false }
}

/// The process's standard output (buffered) and standard error (flushed with
/// standard output first, so the two interleave as written). A failed write to
/// standard output (a closed pipe, a full disk) is kept, not fatal: `finish`
/// reports it and turns the exit code into 3. SIGPIPE is ignored so that a closed
/// pipe is such a failure (EPIPE) rather than a silent death.
public final class StandardOutput: OutputSink {
    private var buffer = Data()
    private var failure: String?

    public init() {
        signal(SIGPIPE, SIG_IGN)
    }

    public var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    public func out(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 64 * 1024 { flush() }
    }

    public func err(_ text: String) {
        flush()
        // Nowhere is left to report a failure to write standard error.
        _ = OutputFile.writeAll(Data(text.utf8), to: STDERR_FILENO)
    }

    public func flush() {
        guard !buffer.isEmpty else { return }
        if failure == nil { failure = OutputFile.writeAll(buffer, to: STDOUT_FILENO) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// The process's exit code: `code`, unless standard output could not be written,
    /// which is said in one line on standard error and is exit 3.
    public func finish(_ code: Int32) -> Int32 {
        flush()
        guard let failure else { return code }
        err("trailwarden: error: cannot write to standard output: \(failure)\n")
        return ExitCode.incomplete.rawValue
    }
}

/// Keeps what a command writes, for tests and for the demo.
public final class CapturedOutput: OutputSink {
    public private(set) var standardOutput = ""
    public private(set) var standardError = ""

    public init() {}

    public func out(_ text: String) { standardOutput += text }
    public func err(_ text: String) { standardError += text }
    public func flush() {}
}
