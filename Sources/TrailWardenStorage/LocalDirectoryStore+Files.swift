#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where an object's file is: the bucket's folder and the file names of the key's segments.
struct LocalObjectPath {
    let bucket: LocalPath
    let names: [[UInt8]]

    var file: LocalPath { bucket.appending(names[...]) }
    var folder: LocalPath { bucket.appending(names.dropLast()) }
    var sidecar: LocalObjectPath {
        LocalObjectPath(bucket: bucket, names: names.dropLast() + [(names.last ?? []) + Array(LocalDirectoryStore.metadataSuffix.utf8)])
    }
}

/// Opening and looking up files so that only a definite absence is "not found": an
/// unreadable folder, a broken symbolic link or a cycle of them is an error, and a FIFO,
/// socket or device is refused without being opened.
extension LocalDirectoryStore {
    enum Opened {
        case file(Int32)
        case absent
        case directory
    }

    /// Opens the regular file at `object` for reading. With `folderFound`, the caller has just
    /// found the object's folder (a sidecar beside its object), so only the file itself is looked up.
    func open(_ object: LocalObjectPath, subject: String, folderFound: Bool = false) throws -> Opened {
        let found = folderFound && !object.names.isEmpty ? try status(of: object.file, subject: subject) : try locate(object, subject: subject)
        guard let info = found else { return .absent }
        if info.isDirectory { return .directory }
        let path = object.file
        guard info.isRegularFile else { throw Self.notRegular(path, info, subject: subject) }
        let descriptor: Int32
        switch path.openForReading() {
        case .success(let opened): descriptor = opened
        case .failure(let error) where error.code == ENOENT: return .absent
        case .failure(let error): throw Self.failure(error, subject, "open", path)
        }
        var opened = stat()
        guard fstat(descriptor, &opened) == 0, opened.isRegularFile else {
            close(descriptor)
            throw Self.notRegular(path, opened, subject: subject)
        }
        return .file(descriptor)
    }

    /// The status of the object's file, following symbolic links; nil when it definitely
    /// does not exist. A missing bucket throws `.noSuchBucket`.
    func locate(_ object: LocalObjectPath, subject: String) throws -> stat? {
        // Nearly always the file is there: one stat of the whole path then says what the walk
        // would (every folder on the way, the bucket's included, is a folder). Anything else
        // takes the walk, which tells a missing object from a missing bucket or a broken link.
        if !object.names.isEmpty, case .success(let info) = object.file.status() { return info }
        var path = object.bucket
        for depth in 0...object.names.count {
            if depth > 0 { path = path.appending(object.names[depth - 1]) }
            let info = try status(of: path, subject: subject)
            if depth == 0, info?.isDirectory != true { throw Self.noSuchBucket(subject, root: rootPath) }
            guard let info else { return nil }
            if depth == object.names.count { return info }
            if !info.isDirectory { return nil }
        }
        return nil
    }

    /// stat following symbolic links; nil when nothing is there (or nothing can be, the name
    /// being too long).
    func status(of path: LocalPath, subject: String) throws -> stat? {
        switch path.status() {
        case .success(let info):
            return info
        case .failure(let error) where error.code == ENOENT:
            if case .success = path.status(followingLinks: false) {
                throw ObjectStoreError(.unavailable, subject, "\(path.display) is a broken symbolic link")
            }
            return nil
        case .failure(let error) where error.code == ENAMETOOLONG:
            return nil
        case .failure(let error):
            throw Self.failure(error, subject, "look up", path)
        }
    }

    /// Reads an open file to its end in pieces of `readSize` bytes.
    func readAll(_ descriptor: Int32, path: LocalPath, subject: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        // Not zeroed: only the bytes read(2) wrote are ever passed on.
        var buffer = [UInt8](unsafeUninitializedCapacity: readSize) { _, count in count = readSize }
        while true {
            let count = buffer.withUnsafeMutableBytes { readSome(descriptor, into: $0) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw Self.failure(Errno(errno), subject, "read", path) }
            guard count > 0 else { return }
            try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
    }

    // MARK: Errors

    static func failure(_ error: Errno, _ subject: String, _ doing: String, _ path: LocalPath) -> ObjectStoreError {
        let kind: ObjectStoreError.Kind
        switch error.code {
        case EACCES, EPERM: kind = .accessDenied
        case ELOOP: kind = .invalidResponse
        default: kind = .unavailable
        }
        return ObjectStoreError(kind, subject, "cannot \(doing) \(path.display): \(error.text)")
    }

    static func notRegular(_ path: LocalPath, _ info: stat, subject: String) -> ObjectStoreError {
        ObjectStoreError(.invalidResponse, subject, "\(path.display) is \(info.kindName), not a regular file; it was not read")
    }

    static func notFound(_ subject: String) -> ObjectStoreError {
        ObjectStoreError(.notFound, subject, "The specified key does not exist.", code: "NoSuchKey")
    }

    static func noSuchBucket(_ subject: String, root: LocalPath) -> ObjectStoreError {
        ObjectStoreError(.noSuchBucket, subject, "no such bucket in \(root.display)", code: "NoSuchBucket")
    }
}
