import TrailWardenCrypto
import TrailWardenGzip
import TrailWardenStorage
import TrailWardenVocabulary

/// A digest file as read from the store, before its signature is checked.
struct FetchedDigest: Sendable {
    enum Content: Sendable {
        /// Not gzip, not JSON, or larger than any digest CloudTrail writes.
        case undecodable
        /// JSON, decoded if it has the fields validation needs.
        case decoded(Result<DigestFile, DigestFile.FormatError>, uncompressedSHA256: String)
    }

    var location: ObjectLocation
    var metadata: UserMetadata
    var content: Content
    /// SHA-256 of the raw (compressed) bytes and the metadata: two reads with
    /// the same identity returned the same object.
    var identity: String
    /// A rough count of the bytes this value holds, for the digest memory budget.
    var retainedBytes: Int
}

/// How one read of a digest ended.
enum DigestRead: Sendable {
    case missing
    /// The digest inflates past the size a prefetch may hold: read it again in full when it is needed.
    case tooLargeToPrefetch
    case fetched(FetchedDigest)
}

extension FetchedDigest {
    /// Reads and decodes a digest, inflating as it streams. Store failures
    /// other than a missing object throw: they say nothing about the digest.
    ///
    /// With `limit` below the largest digest, a larger one ends the read early
    /// as `.tooLargeToPrefetch`. At the full limit, a larger one is hashed up
    /// to the compressed limit (the same bytes on every read, so it can be
    /// confirmed) and is undecodable. With a `grant`, a digest whose inflated
    /// bytes the grant cannot cover ends the read early the same way.
    static func read(_ location: ObjectLocation, from store: any ObjectStore, again: Bool = false,
                     limit: Int = DigestFile.maximumUncompressedSize, grant: DigestMemoryGrant? = nil) async throws -> DigestRead {
        var body = DigestBodyReader(uncompressedLimit: limit, givesUpPastLimit: limit < DigestFile.maximumUncompressedSize, grant: grant)
        var metadata = UserMetadata()
        do {
            metadata = again ? try await store.reread(location, into: &body) : try await store.read(location, into: &body)
        } catch let error as ObjectStoreError where error.kind == .notFound {
            return .missing
        } catch DigestBodyReader.Stop.pastUncompressedLimit {
            return .tooLargeToPrefetch
        } catch DigestBodyReader.Stop.pastCompressedLimit {
            // The object is larger than any digest: its first bytes identify it.
        }
        if body.isPastLimit, body.givesUpPastLimit { return .tooLargeToPrefetch }
        let identity = body.raw.finalizeHex() + metadata.sorted { $0.key < $1.key }.map { "\n\($0.key)=\($0.value)" }.joined()
        guard body.isDecodable, let decoded = DigestFile.decode(body.json) else {
            return .fetched(FetchedDigest(location: location, metadata: metadata, content: .undecodable, identity: identity,
                                          retainedBytes: Self.retainedBytes(inflated: 0)))
        }
        let retained = Self.retainedBytes(inflated: body.json.count)
        return .fetched(FetchedDigest(location: location, metadata: metadata,
                                      content: .decoded(decoded, uncompressedSHA256: Digests.sha256Hex(body.json)),
                                      identity: identity, retainedBytes: retained))
    }

    /// What a read digest holds, roughly: at most what its grant covered while it inflated.
    static func retainedBytes(inflated: Int) -> Int { 1024 + inflated * 2 }
}

/// Streams a digest's body: hashes the raw bytes and inflates them into a
/// buffer bounded by the digest size limits.
private struct DigestBodyReader: BodyConsumer {
    enum Stop: Error { case pastUncompressedLimit, pastCompressedLimit }

    let uncompressedLimit: Int
    let givesUpPastLimit: Bool
    let grant: DigestMemoryGrant?
    private(set) var raw = MessageDigest(.sha256)
    private(set) var json = [UInt8]()
    private var inflater = GzipInflater()
    private var compressedCount = 0
    private var gzipFailed = false
    private(set) var isPastLimit = false

    init(uncompressedLimit: Int, givesUpPastLimit: Bool, grant: DigestMemoryGrant?) {
        self.uncompressedLimit = uncompressedLimit
        self.givesUpPastLimit = givesUpPastLimit
        self.grant = grant
    }

    /// Whether `count` inflated bytes stay within the limit and the grant.
    private func mayHold(_ count: Int) -> Bool {
        count <= uncompressedLimit && grant?.cover(1024 + DigestPrefetcher.heldPerInflatedByte * count) ?? true
    }

    var isDecodable: Bool { !gzipFailed && !isPastLimit && inflater.isComplete }

    mutating func consume(_ piece: UnsafeRawBufferPointer) throws {
        // Hash exactly the first limit + 1 bytes of an oversized object, whatever the pieces.
        let allowed = min(piece.count, DigestFile.maximumCompressedSize + 1 - compressedCount)
        raw.update(UnsafeRawBufferPointer(rebasing: piece[..<allowed]))
        compressedCount += allowed
        if compressedCount > DigestFile.maximumCompressedSize {
            isPastLimit = true
            json = []
            throw Stop.pastCompressedLimit
        }
        guard !gzipFailed, !isPastLimit else { return }
        do {
            try inflater.update(piece) { chunk in
                guard mayHold(json.count + chunk.count) else { throw Stop.pastUncompressedLimit }
                json.append(contentsOf: chunk)
            }
        } catch Stop.pastUncompressedLimit {
            isPastLimit = true
            json = []
            if givesUpPastLimit { throw Stop.pastUncompressedLimit }
        } catch {
            // Not a gzip stream: not a digest, but the raw bytes still identify the object.
            gzipFailed = true
            json = []
        }
    }

    /// A retry starts again; what the grant already holds stays held for it.
    mutating func reset() { self = DigestBodyReader(uncompressedLimit: uncompressedLimit, givesUpPastLimit: givesUpPastLimit, grant: grant) }
}
