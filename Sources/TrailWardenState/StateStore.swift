import Foundation
import TrailWardenCore

/// The seam the scan coordinator uses to resume and record (reports read through `HistoryReader`), so it can be faked in
/// tests and the coordinator never sees SQL.
///
/// Findings rule: recording opens or refreshes the findings it is given (first seen stays,
/// last seen advances, a resolved finding seen again reopens). A chain finding is resolved
/// only when a later error-free result of its chain re-examined the whole range of the result
/// that last saw it and did not see it; a trail (posture) finding when its account's posture
/// was read completely and it was not there. A run that validated only newer digests never
/// resolves anything it did not look at.
///
/// Alarm rule: a finding is pending for a target until a delivery to that target is recorded;
/// so a target that failed is offered the same findings again, and none is sent twice.
public protocol StateStore: Sendable {
    /// Records a run as running, with who runs it, the SHA-256 of its configuration file's
    /// bytes (nil without one) and this build's version, and returns its id.
    func beginRun(caller: String, configurationSHA256: String?, request: String, at: Date) async throws -> Int64
    func checkpoint(for chain: DigestChain) async throws -> Checkpoint?
    /// Records one chain's checkpoint, findings, coverage and result atomically: all or nothing.
    func record(_ result: ChainResult, run: Int64, at: Date) async throws
    /// Records one account's posture findings and errors atomically.
    func record(_ result: AccountResult, run: Int64, at: Date) async throws
    /// Records how a run ended; `totals` is nil for a run that stopped before counting.
    func finishRun(_ run: Int64, status: RunStatus, totals: RunTotals?, errors: [String], at: Date) async throws
    /// Findings of one chain, or of everything (trail findings included) when nil, open and resolved.
    func findings(chain: DigestChain?) async throws -> [StoredFinding]
    /// Every run, oldest first.
    func runs() async throws -> [RunSummary]
    /// The findings, open or resolved, never delivered to `target`, oldest first.
    func pendingAlarms(target: String) async throws -> [StoredFinding]
    /// Records what a target did after a run and, atomically, which findings it delivered.
    func recordAlarm(_ outcome: AlarmOutcomeRecord, delivered: [Int64], at: Date) async throws
}
