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

/// Receives an object's body piece by piece, so large objects never need to
/// be held in memory.
public protocol ObjectBodyConsumer {
    mutating func consume(_ piece: UnsafeRawBufferPointer) throws
    /// Forgets everything consumed so far: a store that retries a read
    /// interrupted mid-body calls this before streaming the body again.
    mutating func reset()
}

/// A read-only object store: the seam between the validation engine and
/// wherever CloudTrail's files are (S3, or a local directory archive).
///
/// Implementations must be safe to call concurrently; the engine bounds how
/// many calls are in flight.
public protocol ObjectStore: Sendable {
    /// Keys in `bucket` that start with `prefix` and sort after `startAfter`,
    /// in ascending byte order (as S3 ListObjectsV2 returns them).
    func listKeys(bucket: String, prefix: String, startAfter: String?) -> AsyncThrowingStream<String, any Error>

    /// Streams the object's body into `consumer` and returns its user metadata.
    /// A missing object throws `ObjectStoreError` of kind `.notFound`.
    func read<Consumer: ObjectBodyConsumer>(_ location: ObjectLocation, into consumer: inout Consumer) async throws -> UserMetadata

    /// Reads the object once more, past every reused connection and cache, to
    /// confirm a body before it is reported as tampered: a finding over a body
    /// needs the same bytes twice. A store without connections reads as usual.
    func reread<Consumer: ObjectBodyConsumer>(_ location: ObjectLocation, into consumer: inout Consumer) async throws -> UserMetadata

    /// The object's user metadata without its body.
    func metadata(of location: ObjectLocation) async throws -> UserMetadata
}

/// A store that can also be written, for building simulated worlds.
public protocol WritableObjectStore: ObjectStore {
    func put(_ location: ObjectLocation, body: [UInt8], metadata: UserMetadata) async throws
    func delete(_ location: ObjectLocation) async throws
}

extension ObjectStore {
    public func reread<Consumer: ObjectBodyConsumer>(_ location: ObjectLocation, into consumer: inout Consumer) async throws -> UserMetadata {
        try await read(location, into: &consumer)
    }

    /// Reads a whole object, refusing bodies larger than `limit` bytes.
    public func get(_ location: ObjectLocation, limit: Int = 64 * 1024 * 1024) async throws -> StoredObject {
        var collector = CollectingConsumer(limit: limit, location: location)
        let metadata = try await read(location, into: &collector)
        return StoredObject(location: location, body: collector.bytes, metadata: metadata)
    }

    /// Every key of a listing, collected.
    public func allKeys(bucket: String, prefix: String, startAfter: String? = nil) async throws -> [String] {
        var keys = [String]()
        for try await key in listKeys(bucket: bucket, prefix: prefix, startAfter: startAfter) {
            keys.append(key)
        }
        return keys
    }
}

private struct CollectingConsumer: ObjectBodyConsumer {
    let limit: Int
    let location: ObjectLocation
    var bytes = [UInt8]()

    mutating func consume(_ piece: UnsafeRawBufferPointer) throws {
        guard bytes.count + piece.count <= limit else {
            throw ObjectStoreError(.tooLarge, location.description, "object is larger than \(limit) bytes")
        }
        bytes.append(contentsOf: piece)
    }

    mutating func reset() { bytes.removeAll() }
}
