import TrailWardenAWS
import TrailWardenCore
import TrailWardenStorage

/// A scan of AWS: S3 buckets and ListPublicKeys, accounts entered through roles.
public struct AWSScanSource: ScanSource {
    let access: AccountAccess
    let keys: RegionKeySources
    public let discovery: TrailDiscovery?

    /// - Parameters:
    ///   - session: the scanner's own transport: one HTTP client (one cap on requests in
    ///     flight) shared by every account, its credentials and endpoint.
    ///   - region: the region of calls that name none (STS, Organizations, bucket listings).
    public init(session: AWSTransport, region: String) {
        access = AccountAccess(base: session, region: region)
        keys = RegionKeySources(access: access)
        discovery = TrailDiscovery(access: access, region: region)
    }

    public func callerIdentity() async throws -> String {
        try await access.callerARN()
    }

    public func objectStore(bucket: String, role: RoleTarget?, region: String) async -> any ObjectStore {
        S3ObjectStore(client: S3Client(transport: await access.transport(role), region: region))
    }

    public func publicKeys(region: String) async -> any PublicKeySource {
        await keys.source(region: region)
    }
}
