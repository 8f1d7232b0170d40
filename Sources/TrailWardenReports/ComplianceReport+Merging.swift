import Foundation
import TrailWardenState

/// One organization-wide report from the states of a sharded scan: each shard's history is
/// its own accounts' (every chain is in exactly one shard), so the merged history is their
/// union, with the runs numbered anew across the states (each state numbers its runs from 1).
extension StateHistory {
    /// The histories of several states as one (nil for none); one history is returned as it is.
    public static func merging(_ parts: [StateHistory]) -> StateHistory? {
        guard var merged = parts.first, parts.count > 1 else { return parts.first }
        // Runs in the order they started; each (state, run id) gets its place's number. A run
        // that several states hold (copied into each new shard by a resize) is one run.
        let order = parts.indices.flatMap { part in parts[part].runs.map { (part: part, run: $0) } }
            .sorted { ($0.run.startedAt, $0.part, $0.run.id) < ($1.run.startedAt, $1.part, $1.run.id) }
        var numbers = [[Int64: Int64]](repeating: [:], count: parts.count)
        var distinct = [(part: Int, run: RunSummary)]()
        var seen = [String: Int64]()
        for entry in order {
            let key = "\(entry.run.startedAt.timeIntervalSince1970) \(entry.run.caller) \(entry.run.request)"
            if let number = seen[key] {
                numbers[entry.part][entry.run.id] = number
                continue
            }
            distinct.append(entry)
            seen[key] = Int64(distinct.count)
            numbers[entry.part][entry.run.id] = Int64(distinct.count)
        }
        func renumbered(_ part: Int, _ run: Int64) -> Int64 { numbers[part][run] ?? run }

        merged.chains = []
        merged.findings = []
        merged.accountErrors = []
        merged.alarmOutcomes = []
        merged.runs = distinct.map { entry in
            var run = entry.run
            run.id = renumbered(entry.part, run.id)
            return run
        }
        for (part, history) in parts.enumerated() {
            merged.chains += history.chains.map { entry in
                var entry = entry
                entry.results = entry.results.map { result in
                    var result = result
                    result.run = renumbered(part, result.run)
                    return result
                }
                entry.coverage = entry.coverage.map { claim in
                    var claim = claim
                    claim.run = renumbered(part, claim.run)
                    return claim
                }
                return entry
            }
            merged.findings += history.findings.map { finding in
                var finding = finding
                finding.firstSeenRun = renumbered(part, finding.firstSeenRun)
                finding.lastSeenRun = renumbered(part, finding.lastSeenRun)
                return finding
            }
            merged.accountErrors += history.accountErrors.map { error in
                var error = error
                error.run = renumbered(part, error.run)
                return error
            }
            for var outcome in history.alarmOutcomes {
                outcome.run = renumbered(part, outcome.run)
                if !merged.alarmOutcomes.contains(where: { $0.run == outcome.run && $0.target == outcome.target }) { merged.alarmOutcomes.append(outcome) }
            }
        }
        return merged
    }
}

extension ComplianceReport {
    /// Names a shard whose results the report lacks (no state, or a state whose last run did
    /// not finish) as a failed run of its own, so that every rendering shows it and the
    /// summary counts it as an error.
    public mutating func name(unreportedShard shard: String, request: String, reason: String, at time: Date) {
        runs.append(Run(id: (runs.map(\.id).max() ?? 0) + 1, startedAt: time, finishedAt: nil, caller: "shard \(shard)", status: .failed,
                        request: request, errors: ["shard \(shard): \(reason)"], alarms: []))
        summary.errors += 1
    }
}
