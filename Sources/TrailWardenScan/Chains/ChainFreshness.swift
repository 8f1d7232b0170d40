import Foundation
import TrailWardenCore
import TrailWardenState
import TrailWardenStorage
import TrailWardenVocabulary

/// What a chain's newest end says, which validating its range cannot: deliveries that
/// stopped (the newest digests deleted, or the trail silently failing), and a checkpoint
/// digest that has disappeared since an earlier run validated it.
enum ChainFreshness {
    /// How long after a digest's end the next may still be on its way: CloudTrail delivers
    /// a digest every hour, up to about an hour after its end, so two delivery hours, and
    /// half an hour of margin.
    static let staleAfter: TimeInterval = 2.5 * 3600

    /// `digests-stale`: the trail should deliver a digest every hour (GetTrailStatus says it
    /// is logging, with validation on), yet the chain's newest digest ended more than
    /// `staleAfter` before the range's end. Nothing without that evidence: a chain that
    /// never delivered is coverage, and over an archive (no status) nothing applies.
    static func staleFinding(_ chain: DigestChain, newestEnd: Date?, rangeEnd: Date, delivery: TrailDelivery?) -> RecordedFinding? {
        guard let delivery, delivery.digestsDue, let newestEnd, rangeEnd.timeIntervalSince(newestEnd) > staleAfter else { return nil }
        let folder = "s3://\(chain.bucket)/\(chain.digestFolder)"
        let latest = delivery.latestDigestDeliveryTime.map(CloudTrailTime.display) ?? "none reported"
        let error = delivery.latestDigestDeliveryError.flatMap { $0.isEmpty ? nil : $0 } ?? "none"
        return RecordedFinding(kind: .digestsStale, object: folder, message: "Digest files\t\(folder)\tINVALID: no digest after "
                               + "\(CloudTrailTime.display(newestEnd)) though the trail is logging with validation on "
                               + "(scan end \(CloudTrailTime.display(rangeEnd)); LatestDigestDeliveryTime \(latest); LatestDigestDeliveryError \(error))")
    }

    /// `checkpoint-digest-missing`: the digest an earlier run validated and resumed from is
    /// gone. One listing of its exact key; only S3's own NoSuchKey on a read confirms it,
    /// so a healthy chain costs no GetObject.
    static func checkpointMissing(_ checkpoint: Checkpoint, chain: DigestChain, store: any ObjectStore) async throws -> RecordedFinding? {
        for try await key in store.listKeys(bucket: chain.bucket, prefix: checkpoint.digestKey, startAfter: nil) where key == checkpoint.digestKey {
            return nil
        }
        try Task.checkCancellation()
        let location = ObjectLocation(bucket: chain.bucket, key: checkpoint.digestKey)
        do {
            _ = try await store.get(location)
            return nil
        } catch let error as ObjectStoreError where error.kind == .notFound {
            return RecordedFinding(kind: .checkpointDigestMissing, object: location.description,
                                   message: "Digest file\t\(location)\tINVALID: not found (validated by an earlier run, the chain's checkpoint)")
        }
    }
}
