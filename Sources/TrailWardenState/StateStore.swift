import Foundation
import TrailWardenCore

/// The seam the scan coordinator uses to resume, record and report, so it can be faked in
/// tests and the coordinator never sees SQL.
///
/// Findings rule: `record` opens or refreshes the findings it is given (first seen stays,
/// last seen advances, a resolved finding seen again reopens). It never resolves anything:
/// a run that validated part of a chain cannot know that a finding outside what it saw is
/// gone. After a full rescan of a chain the caller may call `resolveFindings` with the keys
/// it saw; every open finding of that chain not among them becomes resolved.
public protocol StateStore: Sendable {
    /// Records a run as "running" and returns its id.
    func beginRun(caller: String, request: String, at: Date) async throws -> Int64
    func checkpoint(for chain: DigestChain) async throws -> Checkpoint?
    /// Records one chain's checkpoint, findings and result atomically: all or nothing.
    func record(_ result: ChainResult, run: Int64, at: Date) async throws
    func finishRun(_ run: Int64, totals: String, errors: String, status: String, at: Date) async throws
    /// Findings of one chain, or of all chains when nil, open and resolved.
    func findings(chain: DigestChain?) async throws -> [StoredFinding]
    /// Every run, oldest first.
    func runs() async throws -> [RunSummary]
    /// Resolves the open findings of `chain` whose "kind object" key is not in `seen`.
    func resolveFindings(chain: DigestChain, notIn seen: Set<String>, run: Int64, at: Date) async throws
}
