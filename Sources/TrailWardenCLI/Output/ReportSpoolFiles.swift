import Foundation
import TrailWardenReports

/// The parts of a report being streamed, each in a temporary file of a private folder, so a
/// report of any length is held on disk, not in memory, until its summary is known and the
/// files are written (`ComplianceReportOutput`). Removed by `remove()`. Every failure (a full
/// disk) is a `ServiceError` naming the file (exit 3).
final class ReportSpoolFiles: ReportSpool {
    private let folder: URL
    private var handles: [Int: FileHandle] = [:]
    private var buffers: [Int: Data] = [:]
    /// Bytes buffered per part before they go to its file.
    private static let bufferSize = 256 * 1024
    /// Bytes read back at a time.
    static let blockSize = 1024 * 1024

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("trailwarden-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    private func url(_ part: Int) -> URL { folder.appendingPathComponent("part-\(part)") }

    func append(_ text: String, to part: Int) throws {
        buffers[part, default: Data()].append(contentsOf: text.utf8)
        if buffers[part, default: Data()].count >= Self.bufferSize { try flush(part) }
    }

    private func flush(_ part: Int) throws {
        do {
            try write(part)
        } catch {
            throw ServiceError("\(url(part).path): cannot spool the report to a temporary file: \(error.localizedDescription)")
        }
    }

    private func write(_ part: Int) throws {
        guard let data = buffers[part], !data.isEmpty else { return }
        let handle = try handles[part] ?? {
            guard FileManager.default.createFile(atPath: url(part).path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url(part).path])
            }
            let handle = try FileHandle(forWritingTo: url(part))
            handles[part] = handle
            return handle
        }()
        try handle.write(contentsOf: data)
        buffers[part] = Data()
    }

    /// Hands the part's bytes to `body` a block at a time, each block ending on a whole UTF-8 character.
    func read(_ part: Int, _ body: (Data) throws -> Void) throws {
        try flush(part)
        guard handles[part] != nil else { return }
        let reader: FileHandle
        do {
            reader = try FileHandle(forReadingFrom: url(part))
        } catch {
            throw ServiceError("\(url(part).path): cannot read the report back from its temporary file: \(error.localizedDescription)")
        }
        defer { try? reader.close() }
        var carried = Data()
        while let block = try Self.block(of: reader, part: url(part)), !block.isEmpty {
            var data = carried + block
            // Keep back a character cut in two (continuation bytes are 0b10xxxxxx) for the next block.
            var end = data.endIndex
            while end > data.startIndex, data[end - 1] & 0xC0 == 0x80 { end -= 1 }
            if end > data.startIndex, data[end - 1] >= 0xC0 { end -= 1 } else { end = data.endIndex }
            carried = data[end...]
            data = data[..<end]
            try body(Data(data))
        }
        if !carried.isEmpty { try body(carried) }
    }

    private static func block(of reader: FileHandle, part: URL) throws -> Data? {
        do {
            return try reader.read(upToCount: blockSize)
        } catch {
            throw ServiceError("\(part.path): cannot read the report back from its temporary file: \(error.localizedDescription)")
        }
    }

    func remove() {
        for handle in handles.values { try? handle.close() }
        handles = [:]
        try? FileManager.default.removeItem(at: folder)
    }
}
