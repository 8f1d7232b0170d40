import Foundation

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
    private let readSize: Int

    public init(root: URL, readSize: Int = 64 * 1024) {
        self.root = root.standardizedFileURL
        self.readSize = readSize
    }

    // MARK: Paths

    private func bucketURL(_ bucket: String, subject: String) throws -> URL {
        guard !bucket.isEmpty, !bucket.contains("/"), bucket != ".", bucket != ".." else {
            throw ObjectStoreError(.noSuchBucket, subject, "invalid bucket name")
        }
        return root.appendingPathComponent(bucket, isDirectory: true)
    }

    private func fileURL(_ location: ObjectLocation) throws -> URL {
        let segments = location.key.split(separator: "/", omittingEmptySubsequences: false)
        guard !location.key.isEmpty, !location.key.hasSuffix(Self.metadataSuffix),
              segments.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            throw ObjectStoreError(.notFound, location.description, "key cannot exist in a local store")
        }
        return try bucketURL(location.bucket, subject: location.description).appendingPathComponent(location.key)
    }

    private func sidecarURL(_ location: ObjectLocation) throws -> URL {
        let file = try fileURL(location)
        return file.deletingLastPathComponent().appendingPathComponent(file.lastPathComponent + Self.metadataSuffix)
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

    private func sortedKeys(bucket: String, prefix: String, startAfter: String?) throws -> [String] {
        let bucketDirectory = try bucketURL(bucket, subject: "s3://\(bucket)")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: bucketDirectory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ObjectStoreError(.noSuchBucket, "s3://\(bucket)", "no such bucket in \(root.path)")
        }
        // Only the directory that the prefix names needs walking.
        let directoryPart = prefix.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let start = directoryPart.isEmpty ? bucketDirectory : bucketDirectory.appendingPathComponent(directoryPart, isDirectory: true)
        guard let enumerator = FileManager.default.enumerator(at: start, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return []
        }
        let basePath = bucketDirectory.path + "/"
        var keys = [String]()
        for case let url as URL in enumerator {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(basePath) else { continue }
            let key = String(path.dropFirst(basePath.count))
            guard key.hasPrefix(prefix), !key.hasSuffix(Self.metadataSuffix) else { continue }
            if let startAfter, !startAfter.utf8.lexicographicallyPrecedes(key.utf8) { continue }
            keys.append(key)
        }
        return keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    public func read<Consumer: ObjectBodyConsumer>(_ location: ObjectLocation, into consumer: inout Consumer) async throws -> UserMetadata {
        let file = try fileURL(location)
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: file)
        } catch {
            throw missingOrUnreadable(location, file: file)
        }
        defer { try? handle.close() }
        let metadata = try readMetadata(location)
        while true {
            let piece: Data?
            do {
                piece = try handle.read(upToCount: readSize)
            } catch {
                throw ObjectStoreError(.unavailable, location.description, "cannot read \(file.path): \(error.localizedDescription)")
            }
            guard let piece, !piece.isEmpty else { break }
            try piece.withUnsafeBytes { try consumer.consume($0) }
        }
        return metadata
    }

    public func metadata(of location: ObjectLocation) async throws -> UserMetadata {
        let file = try fileURL(location)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw missingOrUnreadable(location, file: file)
        }
        return try readMetadata(location)
    }

    private func missingOrUnreadable(_ location: ObjectLocation, file: URL) -> ObjectStoreError {
        if let bucket = try? bucketURL(location.bucket, subject: location.description), !FileManager.default.fileExists(atPath: bucket.path) {
            return ObjectStoreError(.noSuchBucket, location.description, "no such bucket in \(root.path)", code: "NoSuchBucket")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            return ObjectStoreError(.accessDenied, location.description, "cannot open \(file.path)")
        }
        return ObjectStoreError(.notFound, location.description, "The specified key does not exist.", code: "NoSuchKey")
    }

    private func readMetadata(_ location: ObjectLocation) throws -> UserMetadata {
        let sidecar = try sidecarURL(location)
        guard FileManager.default.fileExists(atPath: sidecar.path) else { return [:] }
        guard let data = FileManager.default.contents(atPath: sidecar.path) else {
            throw ObjectStoreError(.accessDenied, sidecar.path, "cannot read the metadata sidecar")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ObjectStoreError(.invalidResponse, sidecar.path, "metadata sidecar is not a JSON object")
        }
        var metadata = UserMetadata()
        for (name, value) in object {
            guard let text = value as? String else {
                throw ObjectStoreError(.invalidResponse, sidecar.path, "metadata field \"\(name)\" is not a string")
            }
            metadata[name.lowercased()] = text
        }
        return metadata
    }

    // MARK: Writing

    public func put(_ location: ObjectLocation, body: [UInt8], metadata: UserMetadata) async throws {
        let file = try fileURL(location)
        let sidecar = try sidecarURL(location)
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(body).write(to: file, options: .atomic)
            if metadata.isEmpty {
                if FileManager.default.fileExists(atPath: sidecar.path) { try FileManager.default.removeItem(at: sidecar) }
            } else {
                let lowered = Dictionary(metadata.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
                let json = try JSONSerialization.data(withJSONObject: lowered, options: [.sortedKeys])
                try json.write(to: sidecar, options: .atomic)
            }
        } catch let error as ObjectStoreError {
            throw error
        } catch {
            throw ObjectStoreError(.unavailable, location.description, "cannot write \(file.path): \(error.localizedDescription)")
        }
    }

    public func delete(_ location: ObjectLocation) async throws {
        let file = try fileURL(location)
        let sidecar = try sidecarURL(location)
        for url in [file, sidecar] where FileManager.default.fileExists(atPath: url.path) {
            do {
                try FileManager.default.removeItem(at: url)
            } catch {
                throw ObjectStoreError(.unavailable, location.description, "cannot delete \(url.path): \(error.localizedDescription)")
            }
        }
    }
}
