import Foundation
import TrailWardenCore
import TrailWardenReports
import TrailWardenState
import TrailWardenVocabulary

/// Reads a period's history from the state, builds the compliance report and
/// writes it: shared by `report` and `scan --report`, so both say the same.
enum ComplianceReportOutput {
    /// Builds the report of [from, to] (each defaulting to the validated period's
    /// end), of `accounts` (empty: all), or of one run only.
    static func build(state: any StateStore, from: Date?, to: Date?, accounts: Set<String>, run: Int64?,
                      now: Date = Date()) async throws -> ComplianceReport {
        try await build(states: [state], from: from, to: to, accounts: accounts, run: run, now: now)
    }

    /// The same over several states (the shards of one scan), their histories merged.
    static func build(states: [any StateStore], from: Date?, to: Date?, accounts: Set<String>, run: Int64?,
                      now: Date = Date()) async throws -> ComplianceReport {
        func history(from: Date, to: Date) async throws -> StateHistory {
            var parts = [StateHistory]()
            for state in states { parts.append(try await state.history(from: from, to: to, accounts: accounts, run: run)) }
            guard let merged = StateHistory.merging(parts) else { throw UsageError("no state to report on") }
            return merged
        }
        var period = ComplianceReport.Period(from: from ?? now, to: to ?? now)
        if from == nil || to == nil {
            let everything = try await history(from: .distantPast, to: .distantFuture)
            let validated = ComplianceReportBuilder.validatedPeriod(of: everything)
            period = ComplianceReport.Period(from: from ?? validated?.from ?? now, to: to ?? validated?.to ?? now)
            // One end given, and nothing validated on its side of it: the default other end would come first.
            if period.from > period.to, let from {
                throw UsageError("--from \(CloudTrailTime.display(from)): nothing was validated after it; give --to as well")
            }
            if period.from > period.to, let to {
                throw UsageError("--to \(CloudTrailTime.display(to)): nothing was validated before it; give --from as well")
            }
        }
        return ComplianceReportBuilder.build(try await history(from: period.from, to: period.to), period: period, accountFilter: accounts.sorted(), generatedAt: now)
    }

    /// Writes the rendering to `path` (with its companion files beside it, see OutputFile),
    /// or to standard output when `path` is nil or "-".
    static func write(_ report: ComplianceReport, as format: ReportFormat, to path: String?, output: any OutputSink,
                      option: String) throws {
        let rendered = try render(report, as: format)
        guard let path, path != OutputFile.standardOutputName else {
            output.out(rendered.combinedText)
            return
        }
        var files = [(path, rendered.text)]
        files += rendered.companions.map { ($0.path(besideMain: path), $0.text) }
        for (file, text) in files {
            do {
                try OutputFile.write(Data(text.utf8), to: file)
            } catch {
                throw ServiceError("--\(option) \(file): cannot write the report: \(error.reason)")
            }
        }
    }
}
