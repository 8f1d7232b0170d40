import Foundation
import TrailWardenCore
import TrailWardenState
import TrailWardenVocabulary

/// The few ways every format writes times, shares and durations, so the
/// formats agree to the character.
enum ReportText {
    private static let utcStyle = Date.ISO8601FormatStyle(timeZone: .gmt)

    /// "2026-11-27T09:00:00Z": UTC ISO 8601, to the second.
    static func time(_ date: Date) -> String {
        date.formatted(utcStyle)
    }

    /// A 0…1 share as a percentage with two decimals, rounded down so that
    /// "100.00" only ever means every second was verified. The nudge undoes
    /// binary rounding (0.29 × 10 000 is 2899.9999…), far below one second in
    /// any period.
    static func percent(_ share: Double) -> String {
        let hundredths = min((share * 10_000 + 1e-9).rounded(.down), share < 1 ? 9_999 : 10_000)
        return String(format: "%.2f", hundredths / 100)
    }

    /// Seconds without a needless ".0": "3600", or "0.5".
    static func seconds(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// "missing 2026-11-01T03:00:00Z/2026-11-01T05:00:00Z; not-scanned …": the
    /// spans of a chain that are not verified, in order, as ISO 8601 intervals.
    static func unverifiedSpans(_ chain: ComplianceReport.Chain) -> String {
        chain.unverifiedSpans.map { "\($0.state.rawValue) \(time($0.start))/\(time($0.end))" }.joined(separator: "; ")
    }

    /// "s3://bucket/prefix/": where the chain's trail delivers.
    static func location(_ chain: DigestChain) -> String {
        "s3://\(chain.bucket)/" + (chain.prefix.map { $0 + "/" } ?? "")
    }

    /// One category's total, named both ways.
    struct CategoryCount: Equatable {
        var name: String
        var label: String
        var count: Int
    }

    /// The summary's counts per category: known families in their usual order,
    /// then any name this build does not know, alphabetically.
    static func categories(_ counts: [String: Int]) -> [CategoryCount] {
        let known = FindingCategory.allCases.compactMap { category in
            counts[category.rawValue].map { CategoryCount(name: category.rawValue, label: category.label, count: $0) }
        }
        let unknown = counts.keys.filter { FindingCategory(rawValue: $0) == nil }.sorted()
            .map { CategoryCount(name: $0, label: $0, count: counts[$0] ?? 0) }
        return known + unknown
    }

    /// The summary's digest and log file rows, named as what they count: objects for one
    /// run, validations summed over runs when several runs checked the period.
    static func validationRows(_ summary: ComplianceReport.Summary) -> [(name: String, value: String)] {
        func name(_ object: String) -> String {
            summary.validationRuns > 1 ? "\(object) validations valid / invalid (summed over \(summary.validationRuns) runs)"
                : "\(object)s valid / invalid"
        }
        return [
            (name("Digest"), "\(summary.validDigests) / \(summary.invalidDigests)"),
            (name("Log file"), "\(summary.validLogs) / \(summary.invalidLogs)"),
        ]
    }

    /// "TrailWarden 0.9.0, from runs 3, 4": which build wrote the report and what it covers.
    static func provenance(_ report: ComplianceReport) -> String {
        "TrailWarden \(report.trailwardenVersion), from " + (report.runs.isEmpty ? "no runs" : (report.runs.count == 1 ? "run " : "runs ")
            + report.runs.map { String($0.id) }.joined(separator: ", "))
    }

    /// "TrailWarden 0.9.0, configuration SHA-256 ab12…": what a run was, as recorded ("unknown" for an older state).
    static func runBuild(_ run: ComplianceReport.Run) -> String {
        "TrailWarden \(run.trailwardenVersion ?? "unknown"), configuration SHA-256 \(run.configurationSHA256 ?? "unknown")"
    }

    /// "webhook:https://… failed: 3 findings, 2 attempts (timed out)".
    static func alarm(_ outcome: AlarmOutcomeRecord) -> String {
        "\(outcome.target) \(outcome.status.rawValue): \(count(outcome.findings, "finding")), \(count(outcome.attempts, "attempt"))"
            + (outcome.error.map { " (\($0))" } ?? "")
    }

    /// "1 finding", "2 findings".
    static func count(_ number: Int, _ noun: String) -> String {
        number == 1 ? "1 \(noun)" : "\(number) \(noun)s"
    }
}
