import Foundation
import TrailWardenCore
import TrailWardenState
import TrailWardenStorage
import TrailWardenVocabulary

/// One chain's turn in a scan: its checkpoint, the validation of its range, and the
/// `ChainResult` recorded for it. It knows nothing of accounts or sources (it is given
/// the store and keys), so a shard of chains could be validated anywhere.
struct ChainStep: Sendable {
    let state: any StateStore
    /// `--since` or `--full`: start here regardless of checkpoints.
    let since: Date?
    /// The end of every range; nil: now, when the chain's turn comes.
    let until: Date?
    /// How far back a chain with no checkpoint starts.
    let firstScanLookback: TimeInterval
    /// Objects fetched at once for the chain.
    let concurrency: Int
    let now: @Sendable () -> Date

    /// Validates the chain from its checkpoint and records the result; a failure to
    /// validate is the result's error, a failure to record is thrown. A cancelled chain
    /// (another chain's state write failed) throws `CancellationError` and records
    /// nothing: its listings may have ended early, so it was not really checked.
    func run(_ scanChain: ScanChain, store: any ObjectStore, keys: any PublicKeySource, run: Int64) async throws -> ChainResult {
        let chain = scanChain.chain
        let checkpoint = try await state.checkpoint(for: chain)
        let end = until ?? now()
        let start = since ?? checkpoint.map { $0.resumeAfter.addingTimeInterval(1) } ?? end.addingTimeInterval(-firstScanLookback)
        var result = ChainResult(chain: chain, trailARN: scanChain.trailARN, rangeStart: start, rangeEnd: end, tally: ValidationTally())
        if start <= end {
            do {
                try await validate(&result, checkpoint: checkpoint, scanChain: scanChain, store: store, keys: keys)
            } catch {
                result.error = String(describing: error)
            }
        }
        try Task.checkCancellation()
        try await state.record(result, run: run, at: now())
        return result
    }

    private func validate(_ result: inout ChainResult, checkpoint: Checkpoint?, scanChain: ScanChain, store: any ObjectStore,
                          keys: any PublicKeySource) async throws {
        let chain = result.chain
        var findings = [RecordedFinding]()
        let validated = checkpoint.flatMap { $0.hasValidatedDigest ? $0 : nil }
        let missingCheckpoint = try await validated.asyncMap { try await ChainFreshness.checkpointMissing($0, chain: chain, store: store) } ?? nil
        var coverage = CoverageRecorder()
        var examined: ExaminedDigest?
        let outcome = try await ChainValidator(store: store, keys: keys, concurrency: concurrency)
            .validate(ValidationRequest(chain: chain, start: result.rangeStart, end: result.rangeEnd, checkUnreferenced: true,
                                        unreferencedAfter: since == nil ? checkpoint?.unreferencedCheckedThrough : nil,
                                        neighboursValidated: scanChain.folderNeighbours)) { event in
                coverage.record(event)
                if let digest = Self.examinedStandardDigest(event, chain: chain), digest.endTime > examined?.endTime ?? .distantPast {
                    examined = digest
                }
                if let kind = event.kind { findings.append(.init(kind: kind, object: event.object?.description ?? "", message: event.line)) }
            }
        findings += Self.continuityFindings(outcome, checkpoint: checkpoint, resumed: since == nil)
        result.undelivered = outcome.listedDigestCount == 0 && checkpoint == nil
        result.coverage = coverage.spans
        result.tally = outcome.tally
        result.findings = findings
        if let newest = outcome.newestVerifiedDigest, checkpoint.map({ newest.endTime > $0.digestEndTime }) ?? true {
            result.newCheckpoint = Checkpoint(digestKey: newest.location.key, digestEndTime: newest.endTime,
                                              signature: newest.signature, sha256: newest.uncompressedSHA256)
        }
        result.unreferencedCheckedThrough = outcome.unreferencedCheckedThrough
        if let examined, examined.endTime > (result.newCheckpoint ?? checkpoint)?.resumeAfter ?? .distantPast {
            result.newestExamined = examined
        }
        let newestEnd = [examined?.endTime, checkpoint?.resumeAfter].compactMap { $0 }.max()
        if let stale = ChainFreshness.staleFinding(chain, newestEnd: newestEnd, rangeEnd: result.rangeEnd, delivery: scanChain.delivery) {
            result.findings.append(stale)
        }
        if let missingCheckpoint {
            // Resume from the vanished digest until it is back: only a run that finds it again resolves the finding.
            result.findings.append(missingCheckpoint)
            result.newCheckpoint = nil
            result.newestExamined = nil
            result.unreferencedCheckedThrough = nil
        }
    }

    /// The standard digest an event examined, valid or not, with the end time its key names.
    static func examinedStandardDigest(_ event: ValidationEvent, chain: DigestChain) -> ExaminedDigest? {
        switch event {
        case .digestValid(let location, .standard, _, let end):
            return ExaminedDigest(key: location.key, endTime: end)
        case .digestInvalid(let location, .standard, _):
            return chain.digestKeyName(location.key).map { ExaminedDigest(key: location.key, endTime: $0.endTime) }
        default:
            return nil
        }
    }

    /// The first digest after the checkpoint must link to it by key, hash and
    /// signature (or to the invalid digest already reported past it); otherwise the
    /// chain was broken between runs.
    static func continuityFindings(_ outcome: ValidationOutcome, checkpoint: Checkpoint?, resumed: Bool) -> [RecordedFinding] {
        guard resumed, let checkpoint, checkpoint.hasValidatedDigest, let first = outcome.oldestListedDigest, first.file.hasPreviousLink else {
            return []
        }
        // A link to the invalid digest examined past the checkpoint: that digest was reported when it was examined.
        if let examined = checkpoint.examined, examined.endTime > checkpoint.digestEndTime, first.file.previousDigestS3Object == examined.key {
            return []
        }
        let linked = first.file.previousDigestS3Object == checkpoint.digestKey
            && ChainLink.problem(newer: first.file, olderSHA256: checkpoint.sha256, olderSignature: checkpoint.signature) == nil
        guard !linked else { return [] }
        return [.init(kind: .chainCheckpointBreak, object: first.location.description,
                      message: "Digest file\t\(first.location)\tINVALID: does not link to the last validated digest s3://\(first.location.bucket)/\(checkpoint.digestKey)")]
    }
}

extension Optional where Wrapped: Sendable {
    /// `map` for an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
