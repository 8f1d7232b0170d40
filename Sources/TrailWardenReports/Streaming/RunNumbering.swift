import Foundation

/// The run numbers of several states as one report's: each state numbers its runs from 1, so
/// the shards' runs are numbered anew in the order they started; one state keeps its own.
struct RunNumbering: Sendable {
    private var numbers: [[Int64: Int64]]

    init(_ runs: [[RunSummaryKey]]) {
        numbers = Array(repeating: [:], count: runs.count)
        guard runs.count > 1 else { return }
        let order = runs.indices.flatMap { part in runs[part].map { (part: part, run: $0) } }
            .sorted { ($0.run.startedAt, $0.part, $0.run.id) < ($1.run.startedAt, $1.part, $1.run.id) }
        for (position, entry) in order.enumerated() { numbers[entry.part][entry.run.id] = Int64(position + 1) }
    }

    /// What orders a run among the states' runs.
    struct RunSummaryKey: Sendable {
        var id: Int64
        var startedAt: Date
    }

    /// State `part`'s run `run` as the report numbers it.
    func callAsFunction(_ part: Int, _ run: Int64) -> Int64 { numbers[part][run] ?? run }
}
