import Foundation
import TrailWardenCore

/// `validate`'s progress on a terminal, like the scan's: a count of what was
/// checked, rewritten at most five times a second. Nothing when standard error
/// is not a terminal, so that piped and logged output stays the reference's.
final class ValidationProgress {
    private let reporter: ProgressReporter
    private let clock: () -> Date
    private var digests = 0, logs = 0, findings = 0
    private var lastDrawn = Date.distantPast

    init(output: any OutputSink, style: ProgressStyle? = nil, clock: @escaping @Sendable () -> Date = Date.init) {
        let style = style ?? .forStandardError(of: output)
        reporter = ProgressReporter(output: output, style: style, quiet: !style.isTerminal, clock: clock)
        self.clock = clock
    }

    /// Called before a line is written, so that it never lands in the middle of the progress line.
    func clear() { reporter.clear() }

    func observe(_ event: ValidationEvent) {
        switch event {
        case .digestValid, .digestInvalid: digests += 1
        case .logValid, .logInvalid: logs += 1
        default: break
        }
        if event.isFinding { findings += 1 }
        let now = clock()
        guard now.timeIntervalSince(lastDrawn) >= 0.2 else { return }
        lastDrawn = now
        reporter.line("validating: \(digests) digest files, \(logs) log files checked, \(findings) findings")
    }

    func finish() { reporter.finish() }
}
