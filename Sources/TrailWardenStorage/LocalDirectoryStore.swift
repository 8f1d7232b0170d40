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
        guard !bucket.isEmpty, !bucket.utf8.contains(UInt8(ascii: "/")), bucket != ".", bucket != "..", let name = LocalFileName.name(ofKeySegment: bucket[...]) else {
            throw ObjectStoreError(.noSuchBucket, subject, "invalid bucket name")
        }
        return rootPath.appending(name)
    }

    private func objectPath(_ location: ObjectLocation) throws -> LocalObjectPath {
        let keyBytes = Array(location.key.utf8)
        let names: [[UInt8]?]
        if keyBytes.allSatisfy({ $0 != 0 && $0 < 0x80 }) {
            // Nearly every key: ASCII without NUL, whose segments are their own file names.
            names = keyBytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { segment in
                segment.isEmpty || segment.elementsEqual(".".utf8) || segment.elementsEqual("..".utf8) ? nil : Array(segment)
            }
        } else {
            names = location.key.split(separator: "/", omittingEmptySubsequences: false).map { segment in
                segment.isEmpty || segment == "." || segment == ".." ? nil : LocalFileName.name(ofKeySegment: segment)
            }
        }
        let found = names.compactMap { $0 }
        guard !location.key.isEmpty, !keyBytes.ends(with: Self.metadataSuffixBytes), found.count == names.count else {
            throw ObjectStoreError(.notFound, location.description, "key cannot exist in a local store")
        }
        return LocalObjectPath(bucket: try bucketPath(location.bucket, subject: location.description), names: found)
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
        let descriptor = try openObject(object, subject: location.description)
        defer { close(descriptor) }
        let metadata = try readMetadata(object, subject: location.description)
        try readAll(descriptor, path: object.file, subject: location.description) { try consumer.consume($0) }
        return metadata
    }

    /// A folder is not an object, so it is "not found" like a missing file.
    private func openObject(_ object: LocalObjectPath, subject: String) throws -> Int32 {
        switch try open(object, subject: subject) {
        case .file(let descriptor): return descriptor
        case .absent, .directory: throw Self.notFound(subject)
        }
    }

    private func readMetadata(_ object: LocalObjectPath, subject: String) throws -> UserMetadata {
        let sidecar = object.sidecar
        let path = sidecar.file
        let descriptor: Int32
        switch try open(sidecar, subject: subject, folderFound: true) {
        case .absent: return [:]
        case .directory: throw ObjectStoreError(.invalidResponse, path.display, "the metadata sidecar is a folder")
        case .file(let opened): descriptor = opened
        }
        defer { close(descriptor) }
        var data = [UInt8]()
        try readAll(descriptor, path: path, subject: path.display) { piece in
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
