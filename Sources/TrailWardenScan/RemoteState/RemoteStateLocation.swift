import Foundation
import TrailWardenAWS

/// Where a state kept in S3 lives: `s3://bucket/key.sqlite`, or `s3://bucket/prefix/`,
/// under which each shard has its own `shard-INDEX-of-COUNT.sqlite` (an unsharded scan `state.sqlite`).
public struct RemoteStateLocation: Sendable, Hashable, CustomStringConvertible {
    public let bucket: String
    public let key: String

    /// Whether a `--state` value names S3 rather than a local file.
    public static func isRemote(_ text: String) -> Bool { text.hasPrefix("s3://") }

    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    /// The state of `shard` (nil: unsharded) that `text` names.
    public init(parsing text: String, shard: ShardAssignment?) throws(RemoteStateError) {
        let (bucket, key) = try Self.split(text)
        self.bucket = bucket
        self.key = key.isEmpty || key.hasSuffix("/") ? key + Self.stateName(shard) : key
    }

    /// The object's name under a prefix: one per shard, so that shards never share a state.
    public static func stateName(_ shard: ShardAssignment?) -> String {
        shard.map { "shard-\($0.index)-of-\($0.count).sqlite" } ?? "state.sqlite"
    }

    /// Bucket and key (or prefix) of an `s3://` URL.
    static func split(_ text: String) throws(RemoteStateError) -> (bucket: String, key: String) {
        guard isRemote(text) else { throw RemoteStateError(.usage, "\(text) is not an s3:// URL") }
        let path = text.dropFirst("s3://".count)
        let bucket = path.prefix { $0 != "/" }
        guard !bucket.isEmpty else { throw RemoteStateError(.usage, "\(text) names no bucket") }
        return (String(bucket), String(path.dropFirst(bucket.count + 1)))
    }

    /// The state objects directly under `prefix`: every `shard-I-of-N.sqlite`, and `state.sqlite`.
    public static func states(_ client: S3Client, bucket: String, prefix: String) async throws -> [RemoteStateLocation] {
        try await listedStates(client, bucket: bucket, prefix: prefix).map(\.location)
    }

    /// The same, each with when it was last written (nil when S3 did not say).
    public static func listedStates(_ client: S3Client, bucket: String, prefix: String) async throws -> [(location: RemoteStateLocation, written: Date?)] {
        var states = [(location: RemoteStateLocation, written: Date?)](), token: String?
        repeat {
            let page = try await client.listObjectsV2(bucket: bucket, prefix: prefix, continuationToken: token, delimiter: "/")
            for key in page.keys {
                let name = key.dropFirst(prefix.count)
                guard name == stateName(nil) || (name.hasPrefix("shard-") && name.hasSuffix(".sqlite")) else { continue }
                states.append((RemoteStateLocation(bucket: bucket, key: key), page.lastModified[key]))
            }
            token = page.nextContinuationToken
        } while token != nil
        return states
    }

    /// The lease object beside the state.
    public var lease: RemoteStateLocation { RemoteStateLocation(bucket: bucket, key: key + ".lease") }

    public var description: String { "s3://\(bucket)/\(key)" }
}

/// Why a state kept in S3 could not be used: a bad URL (a usage error), or another task
/// holding or taking the state (always an error, never a silent overwrite).
public struct RemoteStateError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The `--state` or `--previous-states` value cannot be used.
        case usage
        /// Another task holds the lease.
        case leaseHeld
        /// The lease expired or another task took it: this task must not write.
        case leaseLost
        /// The state object changed since this task read it.
        case raceLost
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
