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

    /// Store failures other than a missing object are thrown: they say nothing
    /// about the file's integrity. A problem is confirmed by reading again
    /// (see `BodyConfirmation`) before it is returned.
    public static func verify(_ reference: LogFileReference, in store: any ObjectStore,
                              inflateBufferSize: Int = 64 * 1024) async throws -> Outcome {
        let location = ObjectLocation(bucket: reference.bucket, key: reference.key)
        let pool = InflatingHasherPool.shared
        let hasher = pool.take(bufferSize: inflateBufferSize)
        // Given back however this ends (a thrown error, a cancelled task): each read below resets it first.
        defer { pool.give(hasher) }
        var consumer = HashingInflater(hasher, confirming: false)
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
                hasher.reset()
                var again = HashingInflater(hasher, confirming: true)
                _ = try await store.reread(location, into: &again)
                let outcome = again.outcome(expected: reference.hashValue)
                return BodyConfirmation.Read(identity: again.raw?.finalizeHex() ?? "", verdict: outcome, showsProblem: outcome != .valid)
            }
        } catch let error as ObjectStoreError where error.kind == .notFound {
            return .invalid(.notFound)
        }
    }
}
