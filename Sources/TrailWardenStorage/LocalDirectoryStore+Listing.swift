#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Listing a local store like S3 ListObjectsV2, by walking its folders with readdir.
///
/// Why so strict: a listing decides which digests exist and which log files are
/// unreferenced, so a listing that skipped something would turn an unreadable folder into
/// deleted files, or hide an injected one. Every entry the listing needs is looked at:
/// symbolic links are followed (an archive copied as links lists like the original), a cycle
/// of them is an error, a folder that cannot be read is an error, and an entry that is
/// neither a regular file nor a folder (a FIFO, socket or device) is an error, never opened.
/// Folders whose keys all sort before `startAfter`, or cannot start with the prefix, are not
/// entered, so a damaged folder outside the listing does not stop it.
extension LocalDirectoryStore {
    private struct Walk {
        let prefix: [UInt8]
        let startAfter: [UInt8]?
        let subject: String
        var keys: [String] = []

        /// Whether a key (or, for a folder, any key starting with it) can be listed.
        func wanted(_ key: [UInt8], isFolder: Bool) -> Bool {
            let matchesPrefix = key.starts(with: prefix) || (isFolder && prefix.starts(with: key))
            guard matchesPrefix, let startAfter else { return matchesPrefix }
            // Every key in a folder sorts before startAfter when the folder's form does and is not its prefix.
            return isFolder ? startAfter.starts(with: key) || startAfter.lexicographicallyPrecedes(key) : startAfter.lexicographicallyPrecedes(key)
        }
    }

    /// A folder's device and inode: a folder met again below itself is a cycle.
    private typealias FolderIdentity = [UInt64]

    private static func identity(_ info: stat) -> FolderIdentity { [UInt64(info.st_dev), UInt64(info.st_ino)] }

    func sortedKeys(bucket: String, prefix: String, startAfter: String?) throws -> [String] {
        let subject = "s3://\(bucket)/\(prefix)"
        let bucketPath = try bucketPath(bucket, subject: "s3://\(bucket)")
        let folderSegments = prefix.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        let folderNames = folderSegments.map { segment in
            segment.isEmpty || segment == "." || segment == ".." ? nil : LocalFileName.name(ofKeySegment: segment)
        }
        // The bucket first, named as S3 names it; then a prefix whose folders cannot exist lists nothing.
        _ = try locate(LocalObjectPath(bucket: bucketPath, names: []), subject: "s3://\(bucket)")
        let names = folderNames.compactMap { $0 }
        let start = LocalObjectPath(bucket: bucketPath, names: names)
        guard names.count == folderNames.count, let info = try locate(start, subject: subject), info.isDirectory else {
            return []
        }
        var walk = Walk(prefix: Array(prefix.utf8), startAfter: startAfter.map { Array($0.utf8) }, subject: subject)
        let keyPrefix = folderSegments.isEmpty ? "" : folderSegments.joined(separator: "/") + "/"
        try list(start.file, keyPrefix: keyPrefix, ancestors: [Self.identity(info)], into: &walk)
        return walk.keys.sorted(by: Self.precedesInByteOrder)
    }

    private func list(_ folder: LocalPath, keyPrefix: String, ancestors: [FolderIdentity], into walk: inout Walk) throws {
        let names: [[UInt8]]
        switch folder.directoryEntries() {
        case .success(let entries): names = entries
        case .failure(let error): throw Self.failure(error, walk.subject, "list the folder", folder)
        }
        for name in names {
            let key = keyPrefix + LocalFileName.keyText(of: name)
            let keyBytes = Array(key.utf8)
            let folderForm = keyBytes + [UInt8(ascii: "/")]
            let asFile = walk.wanted(keyBytes, isFolder: false) && !keyBytes.ends(with: Self.metadataSuffixBytes)
            guard asFile || walk.wanted(folderForm, isFolder: true) else { continue }
            let path = folder.appending(name)
            // Gone since the folder was read: removed, so not listed.
            guard let info = try status(of: path, subject: walk.subject) else { continue }
            if info.isDirectory {
                let identity = Self.identity(info)
                guard !ancestors.contains(identity) else {
                    throw ObjectStoreError(.invalidResponse, walk.subject, "\(path.display) is a cycle of symbolic links (it leads back to a folder that contains it)")
                }
                guard walk.wanted(folderForm, isFolder: true) else { continue }
                try list(path, keyPrefix: key + "/", ancestors: ancestors + [identity], into: &walk)
            } else if info.isRegularFile {
                if asFile { walk.keys.append(key) }
            } else {
                throw Self.notRegular(path, info, subject: walk.subject)
            }
        }
    }

    static let metadataSuffixBytes = Array(metadataSuffix.utf8)

    /// S3's order: the UTF-8 bytes compared as unsigned bytes, with memcmp.
    static func precedesInByteOrder(_ lhs: String, _ rhs: String) -> Bool {
        var lhs = lhs, rhs = rhs
        return lhs.withUTF8 { left in
            rhs.withUTF8 { right in
                let common = min(left.count, right.count)
                let order = common == 0 ? 0 : memcmp(left.baseAddress!, right.baseAddress!, common)
                return order != 0 ? order < 0 : left.count < right.count
            }
        }
    }
}

extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix) }
}
