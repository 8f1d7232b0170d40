import Foundation

extension ComplianceReport {
    /// Names a shard whose results the report lacks (no state, or a state whose last run did
    /// not finish) as a failed run of its own, so that every rendering shows it and the
    /// summary counts it as an error.
    public mutating func name(unreportedShard shard: String, request: String, reason: String, at time: Date) {
        runs.append(Run(id: (runs.map(\.id).max() ?? 0) + 1, startedAt: time, finishedAt: nil, caller: "shard \(shard)", status: .failed,
                        request: request, errors: ["shard \(shard): \(reason)"], alarms: []))
        summary.errors += 1
    }

    /// A shard of the newest layout that the report lacks, wholly or in part (see `name(unreportedShard:)`).
    public struct UnreportedShard: Sendable, Equatable {
        public var shard: String
        public var request: String
        public var reason: String

        public init(shard: String, request: String, reason: String) {
            self.shard = shard
            self.request = request
            self.reason = reason
        }
    }
}
