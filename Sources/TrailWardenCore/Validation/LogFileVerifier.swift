import TrailWardenCrypto
import TrailWardenGzip
import TrailWardenStorage
import TrailWardenVocabulary

/// Verifies one log file: streams it through gunzip into SHA-256 and compares
/// with the hash its digest lists. Memory is the store's read size plus the
/// inflater's buffer, whatever the file's size.
public enum LogFileVerifier {
    public enum Outcome: Sendable, Equatable {
        case valid
        case invalid(LogProblem)
    }

    /// Inflates and hashes a body; on confirming reads also hashes the raw
    /// bytes, and notes a gzip problem instead of stopping, so that the whole
    /// object is hashed.
    private struct HashingInflater: BodyConsumer {
        let bufferSize: Int
        let confirming: Bool
        var inflater: GzipInflater
        var hash = MessageDigest(.sha256)
        var raw: MessageDigest?
        var gzipProblem: LogProblem?

        init(bufferSize: Int, confirming: Bool) {
            self.bufferSize = bufferSize
            self.confirming = confirming
            inflater = GzipInflater(outputBufferSize: bufferSize)
            raw = confirming ? MessageDigest(.sha256) : nil
        }

        mutating func consume(_ piece: UnsafeRawBufferPointer) throws {
            raw?.update(piece)
            guard gzipProblem == nil else { return }
            let hash = self.hash
            do {
                try inflater.update(piece) { hash.update($0) }
            } catch let error as GzipError where confirming {
                gzipProblem = error == .dataAfterFirstMember ? .dataAfterFirstMember : .invalidFormat
            }
        }

        mutating func reset() { self = HashingInflater(bufferSize: bufferSize, confirming: confirming) }

        /// Like the reference, a stream cut short is hashed as far as it goes,
        /// so a truncated file is a hash mismatch rather than a format error.
        func outcome(expected: String) -> Outcome {
            if let gzipProblem { return .invalid(gzipProblem) }
            return hash.finalizeHex() == expected ? .valid : .invalid(.hashMismatch)
        }
    }

    /// Store failures other than a missing object are thrown: they say nothing
    /// about the file's integrity. A problem is confirmed by reading again
    /// (see `BodyConfirmation`) before it is returned.
    public static func verify(_ reference: LogFileReference, in store: any ObjectStore,
                              inflateBufferSize: Int = 64 * 1024) async throws -> Outcome {
        let location = ObjectLocation(bucket: reference.bucket, key: reference.key)
        var consumer = HashingInflater(bufferSize: inflateBufferSize, confirming: false)
        do {
            _ = try await store.read(location, into: &consumer)
            if consumer.outcome(expected: reference.hashValue) == .valid { return .valid }
        } catch let error as ObjectStoreError where error.kind == .notFound {
            return .invalid(.notFound)
        } catch is GzipError {
            // Confirmed below.
        }
        do {
            return try await BodyConfirmation.confirm(location, first: nil) {
                var again = HashingInflater(bufferSize: inflateBufferSize, confirming: true)
                _ = try await store.reread(location, into: &again)
                let outcome = again.outcome(expected: reference.hashValue)
                return BodyConfirmation.Read(identity: again.raw?.finalizeHex() ?? "", verdict: outcome, showsProblem: outcome != .valid)
            }
        } catch let error as ObjectStoreError where error.kind == .notFound {
            return .invalid(.notFound)
        }
    }
}
