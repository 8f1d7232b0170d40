import Foundation
import TrailWardenAWS

/// Where a state kept in S3 lives: `s3://bucket/key.sqlite`; given as `s3://bucket/prefix/`,
/// under which each shard has its own `shard-INDEX-of-COUNT.sqlite` (an unsharded scan `state.sqlite`),
/// or as a template such as `s3://bucket/nightly/{shard}.sqlite` ([StateTemplate]).
public struct RemoteStateLocation: Sendable, Hashable, CustomStringConvertible {
    public let bucket: String
    public let key: String

    /// Whether a `--state` value names S3 rather than a local file.
    public static func isRemote(_ text: String) -> Bool { text.hasPrefix("s3://") }

    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    /// The state of `shard` (nil: unsharded) that `text` (a key, a prefix or a template, [StatePlace]) names.
    public init(parsing text: String, shard: ShardAssignment?) throws(RemoteStateError) {
        guard Self.isRemote(text) else { throw RemoteStateError(.usage, "\(text) is not an s3:// URL") }
        let name: String
        do {
            name = try StatePlace(parsing: text).name(for: shard)
        } catch {
            throw RemoteStateError(.usage, error.description)
        }
        (bucket, key) = try Self.split(name)
    }

    /// Bucket and key (or prefix) of an `s3://` URL.
    static func split(_ text: String) throws(RemoteStateError) -> (bucket: String, key: String) {
        guard isRemote(text) else { throw RemoteStateError(.usage, "\(text) is not an s3:// URL") }
        let path = text.dropFirst("s3://".count)
        let bucket = path.prefix { $0 != "/" }
        guard !bucket.isEmpty else { throw RemoteStateError(.usage, "\(text) names no bucket") }
        return (String(bucket), String(path.dropFirst(bucket.count + 1)))
    }

    /// The lease object beside the state (so it follows a template's naming: one per shard).
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
