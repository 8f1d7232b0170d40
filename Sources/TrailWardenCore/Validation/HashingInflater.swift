import Foundation
import TrailWardenCrypto
import TrailWardenGzip
import TrailWardenStorage
import TrailWardenVocabulary

/// A gzip inflater and a SHA-256 context, kept from one log file to the next. Log files are a
/// few KiB: allocating zlib's state and window (~40 KiB), the 64 KiB output buffer and an OpenSSL
/// context for each one cost more than a tenth of the file's CPU.
final class InflatingHasher {
    let bufferSize: Int
    let inflater: GzipInflater
    let hash = MessageDigest(.sha256)

    init(bufferSize: Int) {
        self.bufferSize = bufferSize
        inflater = GzipInflater(outputBufferSize: bufferSize)
    }

    /// Ready for a new body, whatever the last one did (ended, failed, was cut short).
    func reset() {
        inflater.reset()
        hash.reset()
    }
}

/// The idle hashers of the process, as many as log files were verified at once at most (up to
/// `capacity`): each verification takes one and gives it back, so that a run allocates one per
/// concurrent verification rather than one per log file.
final class InflatingHasherPool: @unchecked Sendable {
    static let shared = InflatingHasherPool(capacity: 256)

    private let capacity: Int
    // Guards `idle`; held only to push or pop.
    private let lock = NSLock()
    private var idle = [InflatingHasher]()

    init(capacity: Int) { self.capacity = capacity }

    /// A reset hasher with that output buffer size.
    func take(bufferSize: Int) -> InflatingHasher {
        lock.lock()
        let kept = idle.popLast()
        lock.unlock()
        guard let kept, kept.bufferSize == bufferSize else { return InflatingHasher(bufferSize: bufferSize) }
        kept.reset()
        return kept
    }

    /// Gives back a hasher its taker no longer uses.
    func give(_ hasher: InflatingHasher) {
        lock.lock()
        if idle.count < capacity { idle.append(hasher) }
        lock.unlock()
    }
}

/// Inflates and hashes a log file's body; on confirming reads also hashes the raw bytes, and
/// notes a gzip problem instead of stopping, so that the whole object is hashed.
struct HashingInflater: BodyConsumer {
    let confirming: Bool
    let hasher: InflatingHasher
    var raw: MessageDigest?
    var gzipProblem: LogProblem?

    /// `hasher` must be reset; the consumer uses it until its outcome is taken.
    init(_ hasher: InflatingHasher, confirming: Bool) {
        self.hasher = hasher
        self.confirming = confirming
        raw = confirming ? MessageDigest(.sha256) : nil
    }

    mutating func consume(_ piece: UnsafeRawBufferPointer) throws {
        raw?.update(piece)
        guard gzipProblem == nil else { return }
        let hash = hasher.hash
        do {
            try hasher.inflater.update(piece) { hash.update($0) }
        } catch let error as GzipError where confirming {
            gzipProblem = error == .dataAfterFirstMember ? .dataAfterFirstMember : .invalidFormat
        }
    }

    mutating func reset() {
        hasher.reset()
        raw = confirming ? MessageDigest(.sha256) : nil
        gzipProblem = nil
    }

    /// Like the reference, a stream cut short is hashed as far as it goes,
    /// so a truncated file is a hash mismatch rather than a format error.
    func outcome(expected: String) -> LogFileVerifier.Outcome {
        if let gzipProblem { return .invalid(gzipProblem) }
        return hasher.hash.finalizeHex() == expected ? .valid : .invalid(.hashMismatch)
    }
}
