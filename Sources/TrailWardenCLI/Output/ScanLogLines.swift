import Foundation
import TrailWardenScan
import TrailWardenState
import TrailWardenVocabulary

/// The end of a scan in `--log-format json`: an `error` line for every error
/// the report holds (the run's, an account's, a chain's, a failed alarm
/// target's), then one `summary` line. Progress and finding lines come from
/// the `ProgressReporter` as the scan goes, a finding's fields from `fields(of:)`.
enum ScanLogLines {
    /// A `finding` line's fields before its `message` (docs/cli.md#log-format): the stable id,
    /// severity and kind, and the account, source region (null for posture findings), trail and object.
    static func fields(of event: ScanFindingEvent) -> [(String, String)] {
        let identity = event.identity
        return [("id", JSONString.quote(event.id)), ("severity", JSONString.quote(event.severity.rawValue)),
                ("kind", JSONString.quote(identity.kind.rawValue)), ("account", JSONString.quote(identity.accountID)),
                ("region", identity.sourceRegion.map(JSONString.quote) ?? "null"), ("trailARN", JSONString.quote(identity.trailARN)),
                ("object", JSONString.quote(identity.object))]
    }

    static func record(_ report: ScanReport, exitCode: ExitCode, to progress: ProgressReporter) {
        for error in report.errors { progress.record("error", [("message", JSONString.quote(error))]) }
        for account in report.accounts {
            let accountField = ("account", JSONString.quote(account.accountID))
            for error in account.errors { progress.record("error", [accountField, ("message", JSONString.quote(error))]) }
            for chain in account.chains {
                guard let error = chain.error else { continue }
                progress.record("error", [accountField, ("trailARN", JSONString.quote(chain.trailARN)),
                                          ("region", JSONString.quote(chain.chain.sourceRegion)), ("message", JSONString.quote(error))])
            }
        }
        for alarm in report.alarms where alarm.status == .failed {
            progress.record("error", [("alarmTarget", JSONString.quote(alarm.target)), ("message", JSONString.quote(alarm.error ?? "delivery failed"))])
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let totals = (try? encoder.encode(report.totals)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        progress.record("summary", [("runID", String(report.runID)), ("exitCode", String(exitCode.rawValue)),
                                    ("totals", totals), ("openFindings", String(report.openFindings))])
    }
}
