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

    private struct HashingInflater: BodyConsumer {
        let bufferSize: Int
        var inflater: GzipInflater
        var hash = MessageDigest(.sha256)

        init(bufferSize: Int) {
            self.bufferSize = bufferSize
            inflater = GzipInflater(outputBufferSize: bufferSize)
        }

        mutating func consume(_ piece: UnsafeRawBufferPointer) throws {
            let hash = self.hash
            try inflater.update(piece) { hash.update($0) }
        }

        mutating func reset() { self = HashingInflater(bufferSize: bufferSize) }
    }

    /// Store failures other than a missing object are thrown: they say nothing
    /// about the file's integrity.
    public static func verify(_ reference: LogFileReference, in store: any ObjectStore,
                              inflateBufferSize: Int = 64 * 1024) async throws -> Outcome {
        var consumer = HashingInflater(bufferSize: inflateBufferSize)
        do {
            _ = try await store.read(ObjectLocation(bucket: reference.bucket, key: reference.key), into: &consumer)
        } catch let error as ObjectStoreError where error.kind == .notFound {
            return .invalid(.notFound)
        } catch GzipError.dataAfterFirstMember {
            return .invalid(.dataAfterFirstMember)
        } catch is GzipError {
            return .invalid(.invalidFormat)
        }
        // Like the reference, a stream cut short is hashed as far as it goes,
        // so a truncated file is a hash mismatch rather than a format error.
        return consumer.hash.finalizeHex() == reference.hashValue ? .valid : .invalid(.hashMismatch)
    }
}
