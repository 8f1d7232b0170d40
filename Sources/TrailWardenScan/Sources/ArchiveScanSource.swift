import TrailWardenCore
import TrailWardenStorage

/// A scan of a local archive (docs/local-store.md) with key files: nothing is read
/// from AWS, so only configured trails are scanned and no posture is read.
public struct ArchiveScanSource: ScanSource {
    let store: any ObjectStore
    let keys: any PublicKeySource
    /// How the archive is named in the run's caller: its root.
    let name: String

    public init(store: any ObjectStore, keys: any PublicKeySource, name: String) {
        self.store = store
        self.keys = keys
        self.name = name
    }

    public func callerIdentity() -> String { "archive \(name)" }
    public func objectStore(bucket: String, role: RoleTarget?, region: String) -> any ObjectStore { store }
    public func publicKeys(region: String) -> any PublicKeySource { keys }
    public var discovery: TrailDiscovery? { nil }
}
