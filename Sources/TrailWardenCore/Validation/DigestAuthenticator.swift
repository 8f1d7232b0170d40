import Foundation
import TrailWardenCrypto
import TrailWardenGzip
import TrailWardenStorage
import TrailWardenVocabulary

/// A digest file as read from the store, before its signature is checked.
struct FetchedDigest: Sendable {
    enum Content: Sendable {
        /// Not gzip, or not JSON.
        case undecodable
        /// JSON, decoded if it has the fields validation needs.
        case decoded(Result<DigestFile, DigestFile.FormatError>, uncompressedSHA256: String)
    }

    var location: ObjectLocation
    var metadata: UserMetadata
    var content: Content

    /// Digest files are small; anything inflating past this is not one.
    static let inflateLimit = 256 * 1024 * 1024

    /// Reads and decodes a digest. A missing object is nil; other store
    /// failures throw, because they say nothing about the digest.
    static func fetch(_ location: ObjectLocation, from store: any ObjectStore) async throws -> FetchedDigest? {
        let object: StoredObject
        do {
            object = try await store.get(location, limit: inflateLimit)
        } catch let error as ObjectStoreError where error.kind == .notFound {
            return nil
        } catch let error as ObjectStoreError where error.kind == .tooLarge {
            return FetchedDigest(location: location, metadata: [:], content: .undecodable)
        }
        guard let json = try? Gzip.inflate(object.body, limit: inflateLimit), let value = DigestFile.parseJSON(json) else {
            return FetchedDigest(location: location, metadata: object.metadata, content: .undecodable)
        }
        let decoded = Result { () throws(DigestFile.FormatError) in try DigestFile(jsonValue: value) }
        return FetchedDigest(location: location, metadata: object.metadata,
                             content: .decoded(decoded, uncompressedSHA256: Digests.sha256Hex(json)))
    }
}

/// A digest whose signature, location and fields all checked out.
public struct VerifiedDigest: Sendable {
    public var location: ObjectLocation
    public var kind: DigestKind
    public var file: DigestFile
    public var startTime: Date
    public var endTime: Date
    /// Hex SHA-256 of the uncompressed digest: what the next digest must link to.
    public var uncompressedSHA256: String
    /// Hex signature from the object's metadata: what the next digest must link to.
    public var signature: String
}

/// The public keys a chain walk has loaded, looked up by fingerprint. Mirrors
/// the reference: standard digests use the keys valid in [start, end + 2 h];
/// backfill digests add the keys valid within an hour of their generation.
final class KeyRing {
    private let source: any PublicKeySource
    private var keys: [String: PublicKey] = [:]
    private var parsed: [String: RSAPublicKey] = [:]

    init(source: any PublicKeySource) { self.source = source }

    /// Adds the keys valid in the window; returns how many there were.
    @discardableResult
    func load(from: Date, to: Date) async throws -> Int {
        let found = try await source.publicKeys(from: from, to: to)
        for key in found { keys[key.fingerprint] = key }
        return found.count
    }

    func contains(_ fingerprint: String) -> Bool { keys[fingerprint] != nil }

    func rsaKey(_ fingerprint: String) -> RSAPublicKey? {
        if let cached = parsed[fingerprint] { return cached }
        guard let key = keys[fingerprint], let rsa = try? RSAPublicKey(der: key.der) else { return nil }
        parsed[fingerprint] = rsa
        return rsa
    }
}

/// Checks a fetched digest in the reference's order, so that the first
/// problem found, and its wording, are the reference's.
struct DigestAuthenticator {
    let chain: DigestChain
    let keyRing: KeyRing

    func authenticate(_ fetched: FetchedDigest, kind: DigestKind) async throws -> Result<VerifiedDigest, DigestProblem> {
        guard case .decoded(let decoded, let sha256) = fetched.content else { return .failure(.invalidFormat) }
        guard let signatureHex = fetched.metadata["signature"], fetched.metadata["signature-algorithm"] != nil else {
            return .failure(.signatureVerificationFailed)
        }
        let backfillStamp = fetched.metadata["backfill-generation-timestamp"]
        if kind == .backfill, backfillStamp == nil { return .failure(.invalidFormat) }
        guard case .success(let file) = decoded else { return .failure(.invalidFormat) }
        guard file.digestS3Bucket == fetched.location.bucket, file.digestS3Object == fetched.location.key else {
            return .failure(.moved)
        }
        let fingerprint = file.publicKeyFingerprint
        if kind == .backfill, !keyRing.contains(fingerprint), let backfillStamp {
            guard let generated = CloudTrailTime.parse(backfillStamp) else {
                return .failure(.other("Unable to parse date value: \(backfillStamp)"))
            }
            let from = generated.addingTimeInterval(-3600), to = generated.addingTimeInterval(3600)
            if try await keyRing.load(from: from, to: to) == 0 {
                return .failure(.other(KeyRingError.noKeys(from: from, to: to).description))
            }
        }
        guard keyRing.contains(fingerprint) else {
            return .failure(.publicKeyNotFound(region: chain.homeRegion, fingerprint: fingerprint))
        }
        guard let publicKey = keyRing.rsaKey(fingerprint) else { return .failure(.unloadablePublicKey(fingerprint: fingerprint)) }
        let signature: [UInt8]
        do {
            signature = try Hex.decode(signatureHex)
        } catch {
            return .failure(.other(error.description))
        }
        let message = Array(file.stringToSign(uncompressedSHA256Hex: sha256).utf8)
        guard publicKey.verify(signature: signature, message: message) else { return .failure(.signatureVerificationFailed) }
        guard let end = CloudTrailTime.parse(file.digestEndTime) else {
            return .failure(.other("Unable to parse date value: \(file.digestEndTime)"))
        }
        guard let start = CloudTrailTime.parse(file.digestStartTime) else {
            return .failure(.other("Unable to parse date value: \(file.digestStartTime)"))
        }
        return .success(VerifiedDigest(location: fetched.location, kind: kind, file: file, startTime: start, endTime: end,
                                       uncompressedSHA256: sha256, signature: signatureHex))
    }
}

/// Failures that stop a whole chain, as they stop the reference.
public enum KeyRingError: Error, CustomStringConvertible {
    case noKeys(from: Date, to: Date)

    public var description: String {
        switch self {
        case .noKeys(let from, let to):
            return "No public keys found between \(CloudTrailTime.display(from)) and \(CloudTrailTime.display(to))"
        }
    }
}

/// The link check the reference lacks: a digest's previous* fields must name
/// its predecessor's content hash and signature.
public enum ChainLink {
    public static func problem(newer: DigestFile, olderSHA256: String, olderSignature: String) -> LinkProblem? {
        guard newer.previousDigestHashValue?.lowercased() == olderSHA256.lowercased() else { return .hashMismatch }
        guard newer.previousDigestSignature?.lowercased() == olderSignature.lowercased() else { return .signatureMismatch }
        return nil
    }
}
