import Foundation
import TrailWardenCrypto
import TrailWardenStorage
import TrailWardenVocabulary

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
        add(try await source.publicKeys(from: from, to: to))
    }

    /// Adds keys already fetched from the source; returns how many there were.
    @discardableResult
    func add(_ found: [PublicKey]) -> Int {
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
    /// Where a digest that fails is read again, to confirm the failure.
    let store: any ObjectStore

    /// Authenticates a digest; a failure is confirmed by reading the digest
    /// again (see `BodyConfirmation`; its first read was hashed, digests being few).
    func authenticate(_ fetched: FetchedDigest, kind: DigestKind) async throws -> Result<VerifiedDigest, DigestProblem> {
        let first = try await check(fetched, kind: kind)
        guard case .failure = first else { return first }
        return try await BodyConfirmation.confirm(fetched.location, first: .init(identity: fetched.identity, verdict: first, showsProblem: true)) {
            guard case .fetched(let again) = try await FetchedDigest.read(fetched.location, from: store, again: true) else {
                return .init(identity: "missing", verdict: .failure(.notFound), showsProblem: true)
            }
            let verdict = try await check(again, kind: kind)
            guard case .failure = verdict else { return .init(identity: again.identity, verdict: verdict, showsProblem: false) }
            return .init(identity: again.identity, verdict: verdict, showsProblem: true)
        }
    }

    private func check(_ fetched: FetchedDigest, kind: DigestKind) async throws -> Result<VerifiedDigest, DigestProblem> {
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
