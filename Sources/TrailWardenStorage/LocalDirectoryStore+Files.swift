#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where an object's file is: the whole path, built once, and where the bucket's folder ends in it.
/// The key's file names are split out only for the rare walk that tells a missing object from a
/// missing bucket or a broken link, so that reading an object builds one path, not one per name.
struct LocalObjectPath {
    let file: LocalPath
    /// `file.bytes[..<bucketLength]` is the bucket's folder; a `/` and the names follow it.
    let bucketLength: Int

    init(bucket: LocalPath, names: [[UInt8]]) {
        file = bucket.appending(names[...])
        bucketLength = bucket.bytes.count
    }

    /// `file` must be the bucket's folder, then (when there are names) `/` and the names joined by `/`.
    init(file: LocalPath, bucketLength: Int) {
        self.file = file
        self.bucketLength = bucketLength
    }

    var bucket: LocalPath { LocalPath(Array(file.bytes[..<bucketLength])) }
    var hasNames: Bool { file.bytes.count > bucketLength }
    var names: [[UInt8]] {
        hasNames ? file.bytes[(bucketLength + 1)...].split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { Array($0) } : []
    }
    var folder: LocalPath {
        guard hasNames, let slash = file.bytes.lastIndex(of: UInt8(ascii: "/")) else { return file }
        return LocalPath(Array(file.bytes[..<slash]))
    }
    var sidecar: LocalObjectPath {
        hasNames ? LocalObjectPath(file: LocalPath(file.bytes + LocalDirectoryStore.metadataSuffixBytes), bucketLength: bucketLength)
            : LocalObjectPath(bucket: bucket, names: [LocalDirectoryStore.metadataSuffixBytes])
    }
}

/// Opening and looking up files so that only a definite absence is "not found": an
/// unreadable folder, a broken symbolic link or a cycle of them is an error, and a FIFO,
/// socket or device is refused without being opened.
extension LocalDirectoryStore {
    enum Opened {
        /// The descriptor and the size the file had when it was opened.
        case file(Int32, size: Int)
        case absent
        case directory
    }

    /// Opens the regular file at `object` for reading. With `folderFound`, the caller has just
    /// found the object's folder (a sidecar beside its object), so only the file itself is looked up.
    /// Here and below, `subject` (what an error names) is built only for an error: building an
    /// object's `s3://` name on every read cost more than the read's own work.
    func open(_ object: LocalObjectPath, subject: @autoclosure () -> String, folderFound: Bool = false) throws -> Opened {
        let found = folderFound && object.hasNames ? try status(of: object.file, subject: subject()) : try locate(object, subject: subject())
        guard let info = found else { return .absent }
        if info.isDirectory { return .directory }
        let path = object.file
        guard info.isRegularFile else { throw Self.notRegular(path, info, subject: subject()) }
        let descriptor: Int32
        switch path.openForReading() {
        case .success(let opened): descriptor = opened
        case .failure(let error) where error.code == ENOENT: return .absent
        case .failure(let error): throw Self.failure(error, subject(), "open", path)
        }
        var opened = stat()
        guard fstat(descriptor, &opened) == 0, opened.isRegularFile else {
            close(descriptor)
            throw Self.notRegular(path, opened, subject: subject())
        }
        return .file(descriptor, size: Int(opened.st_size))
    }

    /// The status of the object's file, following symbolic links; nil when it definitely
    /// does not exist. A missing bucket throws `.noSuchBucket`.
    func locate(_ object: LocalObjectPath, subject: @autoclosure () -> String) throws -> stat? {
        // Nearly always the file is there: one stat of the whole path then says what the walk
        // would (every folder on the way, the bucket's included, is a folder). Anything else
        // takes the walk, which tells a missing object from a missing bucket or a broken link.
        if object.hasNames, case .success(let info) = object.file.status() { return info }
        let names = object.names
        var path = object.bucket
        for depth in 0...names.count {
            if depth > 0 { path = path.appending(names[depth - 1]) }
            let info = try status(of: path, subject: subject())
            if depth == 0, info?.isDirectory != true { throw Self.noSuchBucket(subject(), root: rootPath) }
            guard let info else { return nil }
            if depth == names.count { return info }
            if !info.isDirectory { return nil }
        }
        return nil
    }

    /// stat following symbolic links; nil when nothing is there (or nothing can be, the name
    /// being too long). lstat first: nothing there (the usual answer for a sidecar) then costs one
    /// call, and only a symbolic link is followed with stat, where ENOENT means it is broken.
    func status(of path: LocalPath, subject: @autoclosure () -> String) throws -> stat? {
        switch path.status(followingLinks: false) {
        case .success(let info) where !info.isSymbolicLink:
            return info
        case .success:
            switch path.status() {
            case .success(let info): return info
            case .failure(let error) where error.code == ENOENT:
                throw ObjectStoreError(.unavailable, subject(), "\(path.display) is a broken symbolic link")
            case .failure(let error): throw Self.failure(error, subject(), "look up", path)
            }
        case .failure(let error) where error.code == ENOENT || error.code == ENAMETOOLONG:
            return nil
        case .failure(let error):
            throw Self.failure(error, subject(), "look up", path)
        }
    }

    /// Reads an open file to its end in pieces of at most `readSize` bytes. `size`, the file's size
    /// when opened, only sizes the buffer: most objects are a few KiB, and a 64 KiB buffer per
    /// object cost more to allocate than to fill; a file that grew is still read to its end.
    func readAll(_ descriptor: Int32, size: Int, path: LocalPath, subject: @autoclosure () -> String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let capacity = min(readSize, max(size, 4096))
        // Not zeroed: only the bytes read(2) wrote are ever passed on.
        var buffer = [UInt8](unsafeUninitializedCapacity: capacity) { _, count in count = capacity }
        while true {
            let count = buffer.withUnsafeMutableBytes { readSome(descriptor, into: $0) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw Self.failure(Errno(errno), subject(), "read", path) }
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
