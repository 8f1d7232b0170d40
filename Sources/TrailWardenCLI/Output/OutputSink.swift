import Foundation

/// Where a command writes: standard output and standard error, or a capture
/// in tests. Commands write whole lines in order; a sink need not be
/// thread-safe because commands write from one task.
public protocol OutputSink: AnyObject {
    func out(_ text: String)
    func err(_ text: String)
    /// Writes anything buffered.
    func flush()
}

/// The process's standard output (buffered) and standard error (flushed with
/// standard output first, so the two interleave as written).
public final class StandardOutput: OutputSink {
    private var buffer = Data()

    public init() {}

    public func out(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 64 * 1024 { flush() }
    }

    public func err(_ text: String) {
        flush()
        FileHandle.standardError.write(Data(text.utf8))
    }

    public func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(buffer)
        buffer.removeAll(keepingCapacity: true)
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
