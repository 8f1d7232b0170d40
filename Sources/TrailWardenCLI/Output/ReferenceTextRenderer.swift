import Foundation
import TrailWardenCore
import TrailWardenVocabulary

/// Writes validation results exactly as `aws cloudtrail validate-logs` does:
/// the same header, tab-separated lines, blank-line rhythm and summary, with
/// problems on standard error. The checks the reference lacks add their own
/// lines in the same style and, only when they found something, their own
/// summary lines, so output for an intact trail is identical to the reference's.
final class ReferenceTextRenderer {
    private let output: any OutputSink
    private let verbose: Bool
    /// The reference tracks whether the last thing written ended in a blank line.
    private var lastEndedWithBlankLine = true

    init(output: any OutputSink, verbose: Bool) {
        self.output = output
        self.verbose = verbose
    }

    func header(trailARN: String, start: Date, end: Date) {
        output.out("Validating log files for trail \(trailARN) between \(CloudTrailTime.display(start)) and \(CloudTrailTime.display(end))\n\n")
    }

    func event(_ event: ValidationEvent) {
        if event.isProblem {
            output.err(lastEndedWithBlankLine ? "\(event.line)\n\n" : "\n\(event.line)\n\n")
            lastEndedWithBlankLine = true
        } else if verbose {
            lastEndedWithBlankLine = false
            output.out("\(event.line)\n")
        }
    }

    func summary(_ tally: ValidationTally, start: Date, end: Date) {
        if !lastEndedWithBlankLine { output.out("\n") }
        output.out("Results requested for \(CloudTrailTime.display(start)) to \(CloudTrailTime.display(end))\n")
        let digests = tally.validDigests + tally.invalidDigests + tally.validBackfillDigests + tally.invalidBackfillDigests
        guard digests > 0 else {
            output.out("No digests found\n")
            return
        }
        if let foundStart = tally.foundStart, let foundEnd = tally.foundEnd {
            output.out("Results found for \(CloudTrailTime.display(foundStart)) to \(CloudTrailTime.display(foundEnd)):\n")
        } else {
            output.out("No valid digests found in range\n")
        }
        ratio(tally.validDigests, tally.invalidDigests, "digest")
        ratio(tally.validBackfillDigests, tally.invalidBackfillDigests, "backfill digest")
        ratio(tally.validLogs, tally.invalidLogs, "log")
        count(tally.brokenLinks, "digest file links INVALID")
        count(tally.additionalMissingDigests, "more digest files INVALID: not found")
        count(tally.unreferencedLogs, "log files INVALID: not referenced by any digest file")
        output.out("\n")
    }

    private func ratio(_ valid: Int, _ invalid: Int, _ name: String) {
        let total = valid + invalid
        guard total > 0 else { return }
        output.out("\n\(valid)/\(total) \(name) files valid")
        if invalid > 0 { output.out(", \(invalid)/\(total) \(name) files INVALID") }
    }

    private func count(_ number: Int, _ text: String) {
        if number > 0 { output.out("\n\(number) \(text)") }
    }
}
