import TrailWardenCore
import TrailWardenStorage

/// Where a scan reads, so that the coordinator never asks which: AWS, entering
/// accounts through roles (`AWSScanSource`), or a local archive in the offline format
/// of docs/local-store.md with key files (`ArchiveScanSource`).
public protocol ScanSource: Sendable {
    /// Who scans, as recorded with the run.
    func callerIdentity() async throws -> String
    /// The objects of `bucket` in `region`, read as `role` (the scanner itself when nil).
    func objectStore(bucket: String, role: RoleTarget?, region: String) async -> any ObjectStore
    /// The public keys that sign a source region's digests.
    func publicKeys(region: String) async -> any PublicKeySource
    /// Accounts, trails and their posture, organizations and digest regions, as AWS
    /// describes them; nil for a source that holds only objects, whose trails must all be
    /// configured with their buckets and regions, and whose posture cannot be read.
    var discovery: TrailDiscovery? { get }
}

extension ScanSource {
    /// Whether the scan reads trail posture (DescribeTrails, GetTrailStatus).
    var readsPosture: Bool { discovery != nil }
}
