import Foundation
import TrailWardenAWS

/// A `--state` value: a local path or an `s3://` key (a prefix `…/` being the template
/// `…/{shard}.sqlite`), naming one state or, as a template, one per shard; and the states of
/// every shard and layout it names that exist, for `report` and for a resized shard's import.
///
/// Why listings are bounded by the template: S3 is listed from the key's text before the first
/// placeholder (one level when the placeholders are in the last part of the key, else every
/// key under it), a local template's folder is read (its placeholders must be in the file's
/// name), and only names the template renders with some values are taken.
public struct StatePlace: Sendable {
    /// nil for a local path.
    public let bucket: String?
    public let template: StateTemplate

    /// One state that exists, with what its name says of it.
    public struct Found: Sendable {
        /// `s3://bucket/key`, or the path.
        public var name: String
        /// nil for a local state.
        public var location: RemoteStateLocation?
        public var named: StateTemplate.Named
        /// When it was last written (S3's `LastModified`, a file's modification time), nil when unknown.
        public var written: Date?
    }

    public init(parsing text: String) throws(StateTemplateError) {
        if RemoteStateLocation.isRemote(text) {
            let split: (bucket: String, key: String)
            do {
                split = try RemoteStateLocation.split(text)
            } catch {
                throw StateTemplateError(error.message)
            }
            bucket = split.bucket
            // A prefix (which may hold placeholders itself) is the template of the shard states under it.
            template = try StateTemplate(parsing: split.key.isEmpty || split.key.hasSuffix("/") ? split.key + "{shard}.sqlite" : split.key)
        } else {
            bucket = nil
            template = try StateTemplate(parsing: text)
            if template.spansFolders {
                throw StateTemplateError("a local template's placeholders go in the file's name (its folder is read to find every shard's state)")
            }
        }
    }

    /// Whether it names a state per shard (a prefix or a template), whose other layouts can be found.
    public var namesEachShard: Bool { template.isTemplate }

    /// `shard`'s state (nil: unsharded): `s3://bucket/key` or a path.
    public func name(for shard: ShardAssignment?) throws(StateTemplateError) -> String {
        let name = try template.name(for: shard)
        return bucket.map { "s3://\($0)/\(name)" } ?? name
    }

    /// Every state the template names that exists; nothing for a value that names one state.
    public func states(client: () throws -> S3Client) async throws -> [Found] {
        guard template.isTemplate else { return [] }
        guard let bucket else { return try localStates() }
        let client = try client()
        let prefix = template.fixedPrefix
        var found = [Found](), token: String?
        repeat {
            let page = try await client.listObjectsV2(bucket: bucket, prefix: prefix, continuationToken: token,
                                                      delimiter: template.spansFolders ? nil : "/")
            for key in page.keys {
                guard let named = template.match(key) else { continue }
                found.append(Found(name: "s3://\(bucket)/\(key)", location: RemoteStateLocation(bucket: bucket, key: key), named: named,
                                   written: page.lastModified[key]))
            }
            token = page.nextContinuationToken
        } while token != nil
        return found
    }

    private func localStates() throws -> [Found] {
        let prefix = URL(fileURLWithPath: template.fixedPrefix + "x")
        let folder = prefix.deletingLastPathComponent().path
        // No folder yet: no state yet (opening the shard's state then says why it cannot be created).
        guard FileManager.default.fileExists(atPath: folder) else { return [] }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw PreviousStateError("states \(template): cannot list the folder \(folder): \(error.localizedDescription)")
        }
        let base = String(template.fixedPrefix.dropLast(prefix.lastPathComponent.count - 1))
        return names.sorted().compactMap { name in
            let path = base + name
            guard let named = template.match(path) else { return nil }
            // A crashed scan's last writes may be in the write-ahead log beside the file.
            let written = [path, path + "-wal"].compactMap { try? FileManager.default.attributesOfItem(atPath: $0)[.modificationDate] as? Date }.max()
            return Found(name: path, location: nil, named: named, written: written)
        }
    }
}
