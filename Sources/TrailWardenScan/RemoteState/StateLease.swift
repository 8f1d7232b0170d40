import Foundation
import TrailWardenAWS
import TrailWardenVocabulary

/// The lease that lets one task at a time write a state kept in S3: an object beside the
/// state, created with `If-None-Match: *` and renewed with `If-Match` on its own ETag,
/// holding the holder's identity and an expiry. S3's conditional writes make taking and
/// renewing it a compare-and-swap, so two tasks given the same shard cannot both hold it.
/// A holder that dies leaves it to expire; a task that finds an expired lease takes it over
/// with `If-Match`, so only one of several such tasks succeeds.
actor StateLease {
    let client: S3Client
    let location: RemoteStateLocation
    let owner: String
    let duration: TimeInterval
    let now: @Sendable () -> Date
    private var etag: String
    private(set) var expiresAt: Date
    private var renewing: Task<Void, any Error>?

    private init(client: S3Client, location: RemoteStateLocation, owner: String, duration: TimeInterval,
                 now: @escaping @Sendable () -> Date, etag: String, expiresAt: Date) {
        self.client = client
        self.location = location
        self.owner = owner
        self.duration = duration
        self.now = now
        self.etag = etag
        self.expiresAt = expiresAt
    }

    /// Takes the lease, or throws `.leaseHeld` naming the task that holds it.
    static func acquire(client: S3Client, location: RemoteStateLocation, owner: String, duration: TimeInterval,
                        now: @escaping @Sendable () -> Date) async throws -> StateLease {
        let expiresAt = now().addingTimeInterval(duration)
        let body = document(owner: owner, expiresAt: expiresAt)
        do {
            let etag = try await client.putObject(bucket: location.bucket, key: location.key, body: body, if: .absent)
            return StateLease(client: client, location: location, owner: owner, duration: duration, now: now, etag: etag, expiresAt: expiresAt)
        } catch let error where S3Client.isConditionFailure(error) {}
        // Someone holds or held it: take it over only if it has expired, and only if it is still the lease just read.
        guard let heldETag = try await client.headObjectETag(bucket: location.bucket, key: location.key) else {
            throw RemoteStateError(.leaseHeld, "the lease \(location) changed while it was being taken; run again")
        }
        var collector = BodyCollector(limit: 64 << 10, subject: location.description)
        _ = try await client.getObject(bucket: location.bucket, key: location.key, into: &collector)
        let held = try read(collector.bytes, location: location)
        guard held.expiresAt < now() else {
            throw RemoteStateError(.leaseHeld, "the state is in use: the lease \(location) is held by \(held.owner) until \(CloudTrailTime.display(held.expiresAt))")
        }
        do {
            let etag = try await client.putObject(bucket: location.bucket, key: location.key, body: body, if: .matches(heldETag))
            return StateLease(client: client, location: location, owner: owner, duration: duration, now: now, etag: etag, expiresAt: expiresAt)
        } catch let error where S3Client.isConditionFailure(error) {
            throw RemoteStateError(.leaseHeld, "another task took the expired lease \(location) first")
        }
    }

    /// Extends the lease (joining a renewal already under way: two at once would race on the
    /// same ETag); throws `.leaseLost` once it has expired or another task has taken it.
    func renew() async throws {
        if let renewing { return try await renewing.value }
        let renewal = Task { try await self.renewNow() }
        renewing = renewal
        defer { renewing = nil }
        try await renewal.value
    }

    private func renewNow() async throws {
        guard now() < expiresAt else {
            throw RemoteStateError(.leaseLost, "the lease \(location) expired at \(CloudTrailTime.display(expiresAt)) before it was renewed; nothing more is written")
        }
        let expiresAt = now().addingTimeInterval(duration)
        do {
            etag = try await client.putObject(bucket: location.bucket, key: location.key, body: Self.document(owner: owner, expiresAt: expiresAt),
                                              if: .matches(etag))
            self.expiresAt = expiresAt
        } catch let error where S3Client.isConditionFailure(error) {
            throw RemoteStateError(.leaseLost, "another task took the lease \(location); nothing more is written")
        }
    }

    /// Gives the lease up, if it is still this task's.
    func release() async throws {
        try await client.deleteObject(bucket: location.bucket, key: location.key, ifMatch: etag)
    }

    struct Holder {
        var owner: String
        var expiresAt: Date
    }

    static func document(owner: String, expiresAt: Date) -> [UInt8] {
        Array("{\"owner\":\(JSONString.quote(owner)),\"expiresAt\":\"\(CloudTrailTime.display(expiresAt))\"}".utf8)
    }

    static func read(_ bytes: [UInt8], location: RemoteStateLocation) throws -> Holder {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any], let owner = object["owner"] as? String,
              let expiry = (object["expiresAt"] as? String).flatMap(CloudTrailTime.parseTimestamp) else {
            throw RemoteStateError(.leaseHeld, "the lease \(location) is not a TrailWarden lease (owner and expiresAt); remove it only if no task is running")
        }
        return Holder(owner: owner, expiresAt: expiry)
    }
}
