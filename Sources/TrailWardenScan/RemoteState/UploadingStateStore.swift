import Foundation
import TrailWardenCore
import TrailWardenState

/// The scan's state store when the state is kept in S3: the working copy, with an upload
/// to S3 after every batch of recorded chains (`RemoteState.uploadEvery`).
public struct UploadingStateStore: StateStore {
    public let local: SQLiteStateStore
    public let remote: RemoteState

    public init(local: SQLiteStateStore, remote: RemoteState) {
        self.local = local
        self.remote = remote
    }

    public func record(_ result: ChainResult, run: Int64, at: Date) async throws {
        try await local.record(result, run: run, at: at)
        try await remote.chainRecorded(local)
    }

    public func beginRun(caller: String, configurationSHA256: String?, request: String, at: Date) async throws -> Int64 {
        try await local.beginRun(caller: caller, configurationSHA256: configurationSHA256, request: request, at: at)
    }
    public func checkpoint(for chain: DigestChain) async throws -> Checkpoint? { try await local.checkpoint(for: chain) }
    public func record(_ result: AccountResult, run: Int64, at: Date) async throws { try await local.record(result, run: run, at: at) }
    public func finishRun(_ run: Int64, status: RunStatus, totals: RunTotals?, errors: [String], at: Date) async throws {
        try await local.finishRun(run, status: status, totals: totals, errors: errors, at: at)
    }
    public func findings(chain: DigestChain?) async throws -> [StoredFinding] { try await local.findings(chain: chain) }
    public func runs() async throws -> [RunSummary] { try await local.runs() }
    public func pendingAlarms(target: String) async throws -> [StoredFinding] { try await local.pendingAlarms(target: target) }
    public func recordAlarm(_ outcome: AlarmOutcomeRecord, delivered: [Int64], at: Date) async throws {
        try await local.recordAlarm(outcome, delivered: delivered, at: at)
    }
}
