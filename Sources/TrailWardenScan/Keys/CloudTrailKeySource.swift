import Foundation
import TrailWardenAWS
import TrailWardenCore

/// Public keys from CloudTrail's ListPublicKeys in one region, checked as strictly as key
/// files are: a fingerprint must be the MD5 of its key. Used by `validate` and, one per
/// region, by `scan`, whose chains ask for windows that differ by their checkpoints: the
/// widest window asked so far is kept, a window inside it is answered from it (the keys
/// whose validity overlaps it, as ListPublicKeys answers), and one outside it is asked as
/// the union of both, so a region's chains share a few calls instead of one each.
public actor CloudTrailKeySource: PublicKeySource {
    let client: CloudTrailClient
    private var known: (from: Date, to: Date, keys: [PublicKey])?
    /// The one call in flight and its window: a chain asking meanwhile waits for its answer,
    /// which serves it when the window covers its own (a failure too), and widens after it otherwise.
    private var asking: (from: Date, to: Date, call: Task<[PublicKey], any Error>)?

    public init(client: CloudTrailClient) { self.client = client }

    public func publicKeys(from: Date, to: Date) async throws -> [PublicKey] {
        while true {
            try Task.checkCancellation()
            if let known, known.from <= from, to <= known.to {
                return known.keys.filter { $0.isValid(overlapping: from, to) }
            }
            if let asking {
                let result = await asking.call.result
                if self.asking?.call == asking.call { self.asking = nil }
                if case .success(let keys) = result {
                    // Each call's window holds the one known before it, so its answer replaces it.
                    known = (asking.from, asking.to, keys)
                } else if asking.from <= from, to <= asking.to {
                    return try result.get()
                }
                continue
            }
            let window = (from: min(from, known?.from ?? from), to: max(to, known?.to ?? to))
            asking = (window.from, window.to, Task { [client] in try await Self.list(client, from: window.from, to: window.to) })
        }
    }

    private static func list(_ client: CloudTrailClient, from: Date, to: Date) async throws -> [PublicKey] {
        try await client.listPublicKeys(from: from, to: to).map { record in
            do {
                return try PublicKey(base64Value: record.valueBase64, fingerprint: record.fingerprint,
                                     validityStart: record.validityStart, validityEnd: record.validityEnd)
            } catch {
                throw ScanError("ListPublicKeys in \(client.region) returned an unusable key \(record.fingerprint): \(error)")
            }
        }
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
