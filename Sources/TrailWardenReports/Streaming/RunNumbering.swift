import Foundation
import TrailWardenState

/// The run numbers of several states as one report's: each state numbers its runs from 1, so
/// the shards' runs are numbered anew in the order they started; one state keeps its own. A
/// run that several states hold (a resize copies the runs of the accounts it moves into their
/// new shard's state, docs/state.md) is one run: same start, caller and request, one number.
struct RunNumbering: Sendable {
    private var numbers: [[Int64: Int64]]

    init(_ runs: [[RunSummary]]) {
        numbers = Array(repeating: [:], count: runs.count)
        guard runs.count > 1 else { return }
        let order = runs.indices.flatMap { part in runs[part].map { (part: part, run: $0) } }
            .sorted { ($0.run.startedAt, $0.part, $0.run.id) < ($1.run.startedAt, $1.part, $1.run.id) }
        var seen = [String: Int64]()
        for entry in order {
            let identity = "\(entry.run.startedAt.timeIntervalSince1970) \(entry.run.caller) \(entry.run.request)"
            let number = seen[identity] ?? Int64(seen.count + 1)
            seen[identity] = number
            numbers[entry.part][entry.run.id] = number
        }
    }

    /// State `part`'s run `run` as the report numbers it.
    func callAsFunction(_ part: Int, _ run: Int64) -> Int64 { numbers[part][run] ?? run }
}
