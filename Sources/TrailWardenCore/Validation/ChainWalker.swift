import Foundation
import TrailWardenStorage
import TrailWardenVocabulary

/// One step of a chain walk, in output order.
enum WalkStep: Sendable {
    case event(ValidationEvent)
    /// A valid digest; its log files are verified after the walk.
    case digest(VerifiedDigest)
}

/// A time span whose digest is missing or invalid, so its log files cannot be
/// proven and are not reported again as unreferenced.
struct UnprovenSpan: Sendable {
    var after: Date
    var through: Date

    func contains(_ time: Date) -> Bool { time > after && time <= through }
}

/// Walks one chain newest to oldest with the reference validator's semantics
/// (which digests are visited, in which order, and what each problem is
/// called), and adds the checks it lacks: each link's hash and signature, and
/// the full extent of a run of missing digests.
///
/// Fetching is done ahead of the walk, in parallel (see `DigestPrefetcher`);
/// the walk itself only takes digests in turn, so it is sequential without
/// waiting on I/O (keys not listed, such as links to other buckets, are the
/// rare exception).
struct ChainWalker {
    let chain: DigestChain
    let kind: DigestKind
    let start: Date
    let authenticator: DigestAuthenticator
    /// The listed digest keys of this kind in a bucket, oldest first.
    let listedKeys: (String) async throws -> [String]
    /// A digest by location; nil when it does not exist.
    let fetch: (ObjectLocation) async throws -> FetchedDigest?

    struct Result {
        /// Steps not yet handed to `onSteps`.
        var steps: [WalkStep] = []
        var unprovenSpans: [UnprovenSpan] = []
    }

    /// Walks the chain, handing its steps to `onSteps` as it goes (in order),
    /// so that the log lists of the whole range are never held at once.
    func walk(onSteps: ([WalkStep]) async throws -> Void) async throws -> [UnprovenSpan] {
        var result = Result()
        var bucket = chain.bucket
        var stack = try await listedKeys(bucket)
        guard let newest = stack.popLast() else { return [] }
        var key: String? = newest
        var lastStart = DigestKeyName.endTime(inKey: newest) ?? .distantPast
        var newerLink: VerifiedDigest?

        while let current = key, start <= lastStart {
            if !result.steps.isEmpty {
                try await onSteps(result.steps)
                result.steps = []
            }
            let location = ObjectLocation(bucket: bucket, key: current)
            guard let fetched = try await fetch(location) else {
                newerLink = nil
                result.steps.append(.event(.digestInvalid(location, kind, .notFound)))
                key = skipPastBroken(current, bucket: bucket, stack: &stack, into: &result)
                continue
            }
            switch try await authenticator.authenticate(fetched, kind: kind) {
            case .failure(let problem):
                newerLink = nil
                result.steps.append(.event(.digestInvalid(location, kind, problem)))
                key = skipPastBroken(current, bucket: bucket, stack: &stack, into: &result)
            case .success(let digest):
                if let newer = newerLink,
                   let problem = ChainLink.problem(newer: newer.file, olderSHA256: digest.uncompressedSHA256, olderSignature: digest.signature) {
                    result.steps.append(.event(.chainLinkBroken(newer: newer.location, older: digest.location, problem)))
                }
                newerLink = nil
                lastStart = digest.startTime
                result.steps.append(.digest(digest))
                if let previousBucket = digest.file.previousDigestS3Bucket, let previousKey = digest.file.previousDigestS3Object {
                    newerLink = digest
                    key = previousKey
                    if previousBucket != bucket {
                        bucket = previousBucket
                        stack = try await listedKeys(bucket)
                    }
                } else {
                    // A chain start: the chain resumes at the next older listed digest.
                    key = ChainWalker.popOlder(than: current, from: &stack)
                    if let next = key, let nextEnd = DigestKeyName.endTime(inKey: next) {
                        result.steps.append(.event(.gap(kind, from: nextEnd, to: lastStart)))
                    }
                }
            }
        }
        try await onSteps(result.steps)
        return result.unprovenSpans
    }

    /// After a missing or invalid digest, continues at the next older listed
    /// digest, as the reference does, and reports how many hourly digests in
    /// between are missing too (the reference reports only the first).
    private func skipPastBroken(_ brokenKey: String, bucket: String, stack: inout [String], into result: inout Result) -> String? {
        let next = ChainWalker.popOlder(than: brokenKey, from: &stack)
        guard let brokenEnd = DigestKeyName.endTime(inKey: brokenKey) else { return next }
        let nextEnd = next.flatMap(DigestKeyName.endTime(inKey:))
        result.unprovenSpans.append(UnprovenSpan(after: nextEnd ?? start, through: brokenEnd))
        if kind == .standard, let nextEnd {
            let hours = Int((brokenEnd.timeIntervalSince(nextEnd) / 3600).rounded())
            if hours > 1 {
                let folder = ObjectLocation(bucket: bucket, key: chain.digestFolder)
                result.steps.append(.event(.digestsMissing(folder: folder, kind, count: hours - 1, from: nextEnd, to: brokenEnd)))
            }
        }
        return next
    }

    /// Pops listed keys until one is older than `key` (the reference's `_get_last_digest`).
    static func popOlder(than key: String, from stack: inout [String]) -> String? {
        guard let limit = DigestKeyName.endTime(inKey: key) else { return nil }
        while let candidate = stack.popLast() {
            if let date = DigestKeyName.endTime(inKey: candidate), date < limit { return candidate }
        }
        return nil
    }
}
