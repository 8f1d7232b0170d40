import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TrailWardenVocabulary

/// A first-class object store over a local directory: TrailWarden's offline
/// archive format, and the backend that tests and simulations use.
///
/// Object `s3://BUCKET/KEY` is the file `ROOT/BUCKET/KEY`; its user metadata is
/// the JSON object of strings in `ROOT/BUCKET/KEY.metadata.json` (names
/// lower-case, without `x-amz-meta-`); no sidecar means no metadata. Keys
/// ending in `.metadata.json`, and keys with empty, `.` or `..` path segments,
/// cannot be stored.
public struct LocalDirectoryStore: WritableObjectStore {
    public static let metadataSuffix = ".metadata.json"

    public let root: URL
    let rootPath: LocalPath
    let readSize: Int

    public init(root: URL, readSize: Int = 64 * 1024) {
        self.root = root.standardizedFileURL
        rootPath = LocalPath(self.root.path)
        self.readSize = max(1, readSize)
    }

    /// Sidecars are small; anything larger is not one.
    static let sidecarLimit = 1024 * 1024

    // MARK: Paths

    func bucketPath(_ bucket: String, subject: String) throws -> LocalPath {
        guard let name = Self.bucketName(bucket) else { throw Self.invalidBucket(subject) }
        return rootPath.appending(name)
    }

    private static func invalidBucket(_ subject: String) -> ObjectStoreError {
        ObjectStoreError(.noSuchBucket, subject, "invalid bucket name")
    }

    /// The bucket's folder name; nil for a name no bucket can have.
    private static func bucketName(_ bucket: String) -> [UInt8]? {
        let bytes = Array(bucket.utf8)
        guard !bytes.isEmpty, !bytes.contains(UInt8(ascii: "/")), bucket != ".", bucket != ".." else { return nil }
        // Nearly every bucket name is ASCII without NUL: its own file name.
        return bytes.allSatisfy({ $0 != 0 && $0 < 0x80 }) ? bytes : LocalFileName.name(ofKeySegment: bucket[...])
    }

    private func objectPath(_ location: ObjectLocation) throws -> LocalObjectPath {
        // Nearly every key: ASCII without NUL, whose segments are their own file names, so that the
        // path is the bucket's folder, `/` and the key, built in one buffer.
        if let bucket = Self.bucketName(location.bucket), let path = location.key.utf8.withContiguousStorageIfAvailable({ key -> LocalObjectPath? in
            guard Self.isPlainKey(key) else { return nil }
            var path = rootPath.bytes
            path.reserveCapacity(path.count + bucket.count + key.count + 2 + Self.metadataSuffixBytes.count)
            if path.last != UInt8(ascii: "/") { path.append(UInt8(ascii: "/")) }
            path += bucket
            let bucketLength = path.count
            path.append(UInt8(ascii: "/"))
            path.append(contentsOf: key)
            return LocalObjectPath(file: LocalPath(path), bucketLength: bucketLength)
        }), let path {
            return path
        }
        let keyBytes = Array(location.key.utf8)
        let names = location.key.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.isEmpty || segment == "." || segment == ".." ? nil : LocalFileName.name(ofKeySegment: segment)
        }
        let found = names.compactMap { $0 }
        guard !keyBytes.isEmpty, !keyBytes.ends(with: Self.metadataSuffixBytes), found.count == names.count else {
            throw Self.keyCannotExist(location)
        }
        return LocalObjectPath(bucket: try bucketPath(location.bucket, subject: location.description), names: found)
    }

    /// Whether the key can be a path as it is: ASCII without NUL, not a sidecar's name, and no
    /// `/`-separated segment empty, `.` or `..`. One pass over the bytes; anything else takes the
    /// general way, which refuses what cannot be stored.
    private static func isPlainKey(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let suffix = metadataSuffixBytes
        if key.count >= suffix.count, UnsafeBufferPointer(rebasing: key[(key.count - suffix.count)...]).elementsEqual(suffix) { return false }
        var length = 0, dots = 0
        for byte in key {
            if byte == 0 || byte >= 0x80 { return false }
            if byte == UInt8(ascii: "/") {
                if length == 0 || (length == dots && dots <= 2) { return false }
                length = 0
                dots = 0
            } else {
                length += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
        }
        return length > 0 && !(length == dots && dots <= 2)
    }

    private static func keyCannotExist(_ location: ObjectLocation) -> ObjectStoreError {
        ObjectStoreError(.notFound, location.description, "key cannot exist in a local store")
    }

    // MARK: Reading

    public func listKeys(bucket: String, prefix: String, startAfter: String?) -> AsyncThrowingStream<String, any Error> {
        AsyncThrowingStream { continuation in
            do {
                for key in try sortedKeys(bucket: bucket, prefix: prefix, startAfter: startAfter) {
                    continuation.yield(key)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
    }

    public func read<Consumer: BodyConsumer>(_ location: ObjectLocation, into consumer: inout Consumer) async throws -> UserMetadata {
        let object = try objectPath(location)
        let (descriptor, size) = try openObject(object, subject: location.description)
        defer { close(descriptor) }
        let metadata = try readMetadata(object, subject: location.description)
        try readAll(descriptor, size: size, path: object.file, subject: location.description) { try consumer.consume($0) }
        return metadata
    }

    /// A folder is not an object, so it is "not found" like a missing file.
    private func openObject(_ object: LocalObjectPath, subject: @autoclosure () -> String) throws -> (Int32, size: Int) {
        switch try open(object, subject: subject()) {
        case .file(let descriptor, let size): return (descriptor, size)
        case .absent, .directory: throw Self.notFound(subject())
        }
    }

    private func readMetadata(_ object: LocalObjectPath, subject: @autoclosure () -> String) throws -> UserMetadata {
        let sidecar = object.sidecar
        let path = sidecar.file
        let descriptor: Int32, size: Int
        switch try open(sidecar, subject: subject(), folderFound: true) {
        case .absent: return [:]
        case .directory: throw ObjectStoreError(.invalidResponse, path.display, "the metadata sidecar is a folder")
        case .file(let opened, let openedSize): (descriptor, size) = (opened, openedSize)
        }
        defer { close(descriptor) }
        var data = [UInt8]()
        try readAll(descriptor, size: size, path: path, subject: path.display) { piece in
            guard data.count + piece.count <= Self.sidecarLimit else {
                throw ObjectStoreError(.invalidResponse, path.display, "the metadata sidecar is larger than \(Self.sidecarLimit) bytes")
            }
            data += piece
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(data)) as? [String: Any] else {
            throw ObjectStoreError(.invalidResponse, path.display, "metadata sidecar is not a JSON object")
        }
        var metadata = UserMetadata()
        for (name, value) in object {
            guard let text = value as? String else {
                throw ObjectStoreError(.invalidResponse, path.display, "metadata field \"\(name)\" is not a string")
            }
            metadata[name.lowercased()] = text
        }
        return metadata
    }

    // MARK: Writing

    public func put(_ location: ObjectLocation, body: [UInt8], metadata: UserMetadata) async throws {
        let object = try objectPath(location)
        let subject = location.description
        let sidecar = object.sidecar.file
        if case .failure(let error) = object.folder.makeDirectories() { throw Self.failure(error, subject, "create", object.folder) }
        if case .failure(let error) = object.file.writeAtomically(body) { throw Self.failure(error, subject, "write", object.file) }
        if metadata.isEmpty {
            if case .failure(let error) = sidecar.remove() { throw Self.failure(error, subject, "delete", sidecar) }
            return
        }
        let lowered = Dictionary(metadata.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
        let json: Data
        do {
            json = try JSONSerialization.data(withJSONObject: lowered, options: [.sortedKeys])
        } catch {
            throw ObjectStoreError(.invalidResponse, subject, "cannot encode the metadata: \(error.localizedDescription)")
        }
        if case .failure(let error) = sidecar.writeAtomically(Array(json)) { throw Self.failure(error, subject, "write", sidecar) }
    }

    public func delete(_ location: ObjectLocation) async throws {
        let object = try objectPath(location)
        for path in [object.file, object.sidecar.file] {
            if case .failure(let error) = path.remove() { throw Self.failure(error, location.description, "delete", path) }
        }
    }
}
