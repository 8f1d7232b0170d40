internal import CZlib
import Foundation

/// Why a gzip stream could not be inflated.
public enum GzipError: Error, Equatable, CustomStringConvertible {
    /// Not gzip, a corrupt deflate stream, or a failed CRC or length check.
    case corrupt(String)
    /// Bytes follow the end of the first gzip member. CloudTrail writes one
    /// member; readers that stop at the first member (as the reference did
    /// until 2026) would not see appended data, so it is never accepted.
    case dataAfterFirstMember
    /// The stream ended before the gzip trailer.
    case truncated
    /// Inflating would exceed the caller's output limit (a decompression bomb).
    case outputLimitExceeded(Int)

    public var description: String {
        switch self {
        case .corrupt(let reason): return "corrupt gzip data (\(reason))"
        case .dataAfterFirstMember: return "data after the first gzip member"
        case .truncated: return "truncated gzip stream"
        case .outputLimitExceeded(let limit): return "inflates to more than \(limit) bytes"
        }
    }
}

/// Streaming gzip inflation with a fixed-size output buffer, so memory use does
/// not depend on the size of the file: a 1 GiB log is hashed through 64 KiB.
///
/// Feed compressed chunks with `update`, receive inflated chunks through the
/// handler, then call `finish`. Owns its zlib stream, which must not move in
/// memory, hence a class with a heap-allocated `z_stream`.
public final class GzipInflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutablePointer<UInt8>
    private let outputCapacity: Int
    private var ended = false
    private var sawInput = false
    /// Inflated bytes produced so far.
    public private(set) var inflatedByteCount = 0

    public init(outputBufferSize: Int = 64 * 1024) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        outputCapacity = max(outputBufferSize, 1024)
        output = .allocate(capacity: outputCapacity)
        guard trailwarden_inflate_init_gzip(stream) == Z_OK else {
            fatalError("zlib could not initialise an inflater: out of memory")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    /// Makes the inflater ready for a new stream whatever the last one did (ended, failed or was cut
    /// short), keeping zlib's state and window and the output buffer: allocating them cost more than
    /// inflating a log file of a few KiB.
    public func reset() {
        if inflateReset(stream) != Z_OK {
            // Only a stream zlib no longer recognises fails to reset: start it anew.
            inflateEnd(stream)
            stream.pointee = z_stream()
            guard trailwarden_inflate_init_gzip(stream) == Z_OK else {
                fatalError("zlib could not initialise an inflater: out of memory")
            }
        }
        ended = false
        sawInput = false
        inflatedByteCount = 0
    }

    /// Inflates `input`, passing each inflated piece to `handler`.
    public func update(_ input: UnsafeRawBufferPointer, _ handler: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard input.count > 0, let base = input.baseAddress else { return }
        sawInput = true
        guard !ended else { throw GzipError.dataAfterFirstMember }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self))
        stream.pointee.avail_in = uInt(input.count)
        defer {
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
        }
        while stream.pointee.avail_in > 0 {
            stream.pointee.next_out = output
            stream.pointee.avail_out = uInt(outputCapacity)
            let status = inflate(stream, Z_NO_FLUSH)
            let produced = outputCapacity - Int(stream.pointee.avail_out)
            if produced > 0 {
                inflatedByteCount += produced
                try handler(UnsafeRawBufferPointer(start: output, count: produced))
            }
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                ended = true
                if stream.pointee.avail_in > 0 { throw GzipError.dataAfterFirstMember }
            case Z_BUF_ERROR where produced > 0:
                continue
            default:
                throw GzipError.corrupt(stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)")
            }
        }
    }

    public func update<Bytes: ContiguousBytes>(_ input: Bytes, _ handler: (UnsafeRawBufferPointer) throws -> Void) throws {
        try input.withUnsafeBytes { try update($0, handler) }
    }

    /// Throws `.truncated` unless one whole gzip member was read.
    public func finish() throws {
        guard ended else { throw GzipError.truncated }
    }

    /// Whether the first gzip member ended; false means the input so far is
    /// empty or truncated.
    public var isComplete: Bool { ended }
}

/// One-shot helpers for small payloads (digest files, simulated worlds).
public enum Gzip {
    /// Inflates a whole single-member gzip payload, refusing more than `limit` bytes of output.
    public static func inflate<Bytes: ContiguousBytes>(_ data: Bytes, limit: Int = 256 * 1024 * 1024) throws -> [UInt8] {
        let inflater = GzipInflater()
        var out = [UInt8]()
        try inflater.update(data) { chunk in
            guard out.count + chunk.count <= limit else { throw GzipError.outputLimitExceeded(limit) }
            out.append(contentsOf: chunk)
        }
        try inflater.finish()
        return out
    }

    /// Compresses `data` as one gzip member with a zero modification time, so
    /// the output is a pure function of the input.
    public static func compress<Bytes: ContiguousBytes>(_ data: Bytes, level: Int32 = 6) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            deflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        guard trailwarden_deflate_init_gzip(stream, level) == Z_OK else {
            fatalError("zlib could not initialise a deflater: out of memory")
        }
        return data.withUnsafeBytes { input -> [UInt8] in
            let bound = Int(deflateBound(stream, uLong(input.count))) + 32
            var out = [UInt8](repeating: 0, count: bound)
            out.withUnsafeMutableBufferPointer { buffer in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
                stream.pointee.avail_in = uInt(input.count)
                stream.pointee.next_out = buffer.baseAddress
                stream.pointee.avail_out = uInt(buffer.count)
                let status = deflate(stream, Z_FINISH)
                precondition(status == Z_STREAM_END, "deflate with a deflateBound-sized buffer must finish")
            }
            return Array(out.prefix(Int(stream.pointee.total_out)))
        }
    }
}
