import Foundation
import TrailWardenVocabulary

/// Progress for people: one line rewritten in place on a terminal, plain
/// lines otherwise (for logs), JSON lines for log pipelines, nothing with
/// `--quiet`. Written to standard error so that standard output stays the report.
final class ProgressReporter: @unchecked Sendable {
    // Lines arrive from concurrent tasks; the lock serialises writes.
    private let lock = NSLock()
    private let output: any OutputSink
    private let style: ProgressStyle
    private let quiet: Bool
    private let clock: @Sendable () -> Date
    /// How long the in-place line is (for `.carriageReturn`, which pads instead of erasing); 0 when none is shown.
    private var shownLength = 0

    init(output: any OutputSink, style: ProgressStyle, quiet: Bool, clock: @escaping @Sendable () -> Date = Date.init) {
        self.output = output
        self.style = style
        self.quiet = quiet
        self.clock = clock
    }

    /// A progress line: replaced by the next one on a terminal.
    func line(_ text: String) {
        guard !quiet else { return }
        lock.lock()
        defer { lock.unlock() }
        switch style {
        case .rewrite:
            output.err("\r\u{1B}[2K" + text)
            shownLength = text.count
        case .carriageReturn:
            output.err("\r" + text + String(repeating: " ", count: max(0, shownLength - text.count)))
            shownLength = text.count
        case .lines:
            output.err(text + "\n")
        case .json:
            output.err(jsonLine("progress", [("message", JSONString.quote(text))]))
        }
    }

    /// A line that stays (a finding's INVALID line): always written, even with
    /// `--quiet`, since log metric filters count them; the in-place line is cleared first.
    /// In JSON, a `finding` line with `fields` (encoded JSON values) and then `text` as its `message`.
    func permanent(_ text: String, fields: [(String, String)] = []) {
        lock.lock()
        defer { lock.unlock() }
        if style == .json {
            output.err(jsonLine("finding", fields + [("message", JSONString.quote(text))]))
            return
        }
        clearLocked()
        output.err(text + "\n")
    }

    /// A JSON log line of another type (`error`, `summary`); nothing in the text styles,
    /// where the report on standard output says the same. `fields` hold encoded JSON values.
    func record(_ type: String, _ fields: [(String, String)]) {
        guard style == .json else { return }
        lock.lock()
        defer { lock.unlock() }
        output.err(jsonLine(type, fields))
    }

    /// Clears the in-place line, so that whatever is written next starts on a clean line.
    func clear() {
        lock.lock()
        defer { lock.unlock() }
        clearLocked()
    }

    func finish() { clear() }

    private func clearLocked() {
        guard shownLength > 0 else { return }
        output.err(style == .rewrite ? "\r\u{1B}[2K" : "\r" + String(repeating: " ", count: shownLength) + "\r")
        shownLength = 0
    }

    /// `{"time":…,"type":…,…}`: time and type first, so a line reads well in a terminal too.
    private func jsonLine(_ type: String, _ fields: [(String, String)]) -> String {
        let pairs = [("time", JSONString.quote(CloudTrailTime.display(clock()))), ("type", JSONString.quote(type))] + fields
        return "{" + pairs.map { JSONString.quote($0.0) + ":" + $0.1 }.joined(separator: ",") + "}\n"
    }
}
