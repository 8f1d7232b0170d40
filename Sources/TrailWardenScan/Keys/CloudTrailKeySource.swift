import Foundation
import TrailWardenAWS
import TrailWardenCore

/// Public keys from CloudTrail's ListPublicKeys in one region, asked once per distinct
/// window and checked as strictly as key files are: a fingerprint must be the MD5 of its key.
/// Used by `validate` and, one per region, by `scan`.
public actor CloudTrailKeySource: PublicKeySource {
    let client: CloudTrailClient
    private var answers: [String: [PublicKey]] = [:]

    public init(client: CloudTrailClient) { self.client = client }

    public func publicKeys(from: Date, to: Date) async throws -> [PublicKey] {
        let window = "\(from.timeIntervalSince1970)-\(to.timeIntervalSince1970)"
        if let known = answers[window] { return known }
        let keys = try await client.listPublicKeys(from: from, to: to).map { record in
            do {
                return try PublicKey(base64Value: record.valueBase64, fingerprint: record.fingerprint,
                                     validityStart: record.validityStart, validityEnd: record.validityEnd)
            } catch {
                throw ScanError("ListPublicKeys in \(client.region) returned an unusable key \(record.fingerprint): \(error)")
            }
        }
        answers[window] = keys
        return keys
    }
}

/// One `CloudTrailKeySource` per region, shared by every chain of the region.
actor RegionKeySources {
    let access: AccountAccess
    private var sources: [String: CloudTrailKeySource] = [:]

    init(access: AccountAccess) { self.access = access }

    func source(region: String) async -> CloudTrailKeySource {
        if let known = sources[region] { return known }
        let source = CloudTrailKeySource(client: CloudTrailClient(transport: await access.transport(nil), region: region))
        sources[region] = source
        return source
    }
}
