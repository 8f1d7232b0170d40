import TrailWardenVocabulary

/// Where an object lives: an S3-style bucket and key, whatever the backend.
public struct ObjectLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var bucket: String
    public var key: String

    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    /// `s3://bucket/key`, the form CloudTrail tools print.
    public var description: String { "s3://\(bucket)/\(key)" }

    public static func < (lhs: ObjectLocation, rhs: ObjectLocation) -> Bool {
        (lhs.bucket, lhs.key) < (rhs.bucket, rhs.key)
    }
}

/// S3 user metadata: names lower-case and without the `x-amz-meta-` prefix.
public typealias UserMetadata = [String: String]

/// A small object read whole, with its user metadata.
public struct StoredObject: Sendable {
    public var location: ObjectLocation
    public var body: [UInt8]
    public var metadata: UserMetadata

    public init(location: ObjectLocation, body: [UInt8], metadata: UserMetadata) {
        self.location = location
        self.body = body
        self.metadata = metadata
    }
}

/// A read-only object store: the seam between the validation engine and
/// wherever CloudTrail's files are (S3, or a local directory archive).
///
/// Implementations must be safe to call concurrently; the engine bounds how
/// many calls are in flight.
public protocol ObjectStore: Sendable {
    /// Keys in `bucket` that start with `prefix` and sort after `startAfter`,
    /// in ascending byte order (as S3 ListObjectsV2 returns them). A listing
    /// that could not be completed ends by throwing, never by finishing. But an
    /// `AsyncThrowingStream` simply ends when the task iterating it is
    /// cancelled: check `Task.checkCancellation()` after the loop.
    func listKeys(bucket: String, prefix: String, startAfter: String?) -> AsyncThrowingStream<String, any Error>

    /// Streams the object's body into `consumer` and returns its user metadata.
    /// A missing object throws `ObjectStoreError` of kind `.notFound`, and only
    /// when the store itself says so (S3's NoSuchKey, no such file): a body the
    /// store cannot vouch for (a proxy's 404 page, a body that fails S3's own
    /// checksum, a cut connection) is an error of another kind, never a finding.
    func read<Consumer: BodyConsumer>(_ location: ObjectLocation, into consumer: inout Consumer) async throws -> UserMetadata

    /// Reads the object once more, past every reused connection and cache, to
    /// confirm a body before it is reported as tampered: a finding over a body
    /// needs the same bytes twice. A store without connections reads as usual.
    func reread<Consumer: BodyConsumer>(_ location: ObjectLocation, into consumer: inout Consumer) async throws -> UserMetadata
}

/// A store that can also be written, for building simulated worlds.
public protocol WritableObjectStore: ObjectStore {
    func put(_ location: ObjectLocation, body: [UInt8], metadata: UserMetadata) async throws
    func delete(_ location: ObjectLocation) async throws
}

extension ObjectStore {
    public func reread<Consumer: BodyConsumer>(_ location: ObjectLocation, into consumer: inout Consumer) async throws -> UserMetadata {
        try await read(location, into: &consumer)
    }

    /// Reads a whole object, refusing bodies larger than `limit` bytes.
    public func get(_ location: ObjectLocation, limit: Int = 64 * 1024 * 1024) async throws -> StoredObject {
        var collector = BodyCollector(limit: limit, subject: location.description)
        do {
            let metadata = try await read(location, into: &collector)
            return StoredObject(location: location, body: collector.bytes, metadata: metadata)
        } catch let error as BodyTooLargeError {
            throw ObjectStoreError(.tooLarge, location.description, "object is larger than \(error.limit) bytes")
        }
    }
}
