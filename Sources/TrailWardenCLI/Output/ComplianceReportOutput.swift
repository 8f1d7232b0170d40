import Foundation
import TrailWardenCore
import TrailWardenReports
import TrailWardenState
import TrailWardenVocabulary

/// Reads a period's history from the states and writes its compliance report, a chain at a
/// time: shared by `report` and `scan --report`, so both say the same and both hold one chain
/// at once, whatever the history's length (what grows with it is spooled to temporary files).
enum ComplianceReportOutput {
    /// The report of [from, to] (each defaulting to the validated period's end), of `accounts`
    /// (empty: all), or of one run only, over one state or the shards of one scan.
    static func source(states: [any HistoryReader], from: Date?, to: Date?, accounts: Set<String>, run: Int64?,
                       unreportedShards: [ComplianceReport.UnreportedShard] = [], now: Date = Date()) async throws -> ComplianceReportSource {
        guard !states.isEmpty else { throw UsageError("no state to report on") }
        var period = (from: from ?? now, to: to ?? now)
        if from == nil || to == nil {
            var validated: (from: Date, to: Date)?
            for state in states {
                guard let range = try await state.validatedRange(.init(from: .distantPast, to: .distantFuture, accounts: accounts, run: run)) else { continue }
                validated = validated.map { (min($0.from, range.from), max($0.to, range.to)) } ?? range
            }
            period = (from ?? validated?.from ?? now, to ?? validated?.to ?? now)
            // One end given, and nothing validated on its side of it: the default other end would come first.
            if period.from > period.to, let from {
                throw UsageError("--from \(CloudTrailTime.display(from)): nothing was validated after it; give --to as well")
            }
            if period.from > period.to, let to {
                throw UsageError("--to \(CloudTrailTime.display(to)): nothing was validated before it; give --from as well")
            }
        }
        return try await ComplianceReportSource.open(states, query: .init(from: period.from, to: period.to, accounts: accounts, run: run),
                                                     generatedAt: now, unreportedShards: unreportedShards)
    }

    /// Streams the rendering to `path` (with its companion files beside it, each replaced
    /// atomically, see OutputFile), or to standard output when `path` is nil or "-". Nothing
    /// is written until every chain has been read: a report that fails leaves no file.
    static func write(_ source: ComplianceReportSource, as format: ReportFormat, to path: String?, output: any OutputSink,
                      option: String) async throws {
        let spool: ReportSpoolFiles
        do {
            spool = try ReportSpoolFiles()
        } catch {
            throw ServiceError("--\(option): cannot make a temporary folder for the report: \(error.localizedDescription)")
        }
        defer { spool.remove() }
        let layout = try await source.write(as: format, to: spool)
        guard let path, path != OutputFile.standardOutputName else {
            for (index, file) in layout.files.enumerated() {
                if index > 0 { output.out(layout.blankLine) }
                try each(file, in: spool) { output.out(String(decoding: $0, as: UTF8.self)) }
            }
            return
        }
        for file in layout.files {
            let destination = file.path(besideMain: path)
            do {
                try OutputFile.write(to: destination) { descriptor in
                    var reason: String?
                    do {
                        try each(file, in: spool) { data in
                            if reason == nil { reason = OutputFile.writeAll(data, to: descriptor) }
                        }
                    } catch {
                        return String(describing: error)
                    }
                    return reason
                }
            } catch {
                throw ServiceError("--\(option) \(destination): cannot write the report: \(error.reason)")
            }
        }
    }

    /// The file's bytes, a block at a time.
    private static func each(_ file: ReportLayout.File, in spool: ReportSpoolFiles, _ body: (Data) throws -> Void) throws {
        for segment in file.segments {
            switch segment {
            case .text(let text): try body(Data(text.utf8))
            case .part(let part): try spool.read(part, body)
            }
        }
    }
}
