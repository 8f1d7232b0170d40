import Foundation
import TrailWardenStorage
import TrailWardenVocabulary

/// Standard digests form the hourly chain; backfill digests cover log files
/// delivered late, form their own chain, and are counted apart.
public enum DigestKind: String, Sendable, Codable {
    case standard
    case backfill

    /// The reference's line prefix for this kind.
    var linePrefix: String { self == .backfill ? "(backfill) " : "" }
}

/// Why a log file failed validation; its finding's word is its `kind`'s.
public enum LogProblem: Sendable {
    case hashMismatch
    case notFound
    case invalidFormat
    /// A further gzip member (or any data) follows the first: beyond the reference.
    case dataAfterFirstMember

    var kind: FindingKind {
        switch self {
        case .hashMismatch: return .logHashMismatch
        case .notFound: return .logNotFound
        case .invalidFormat: return .logInvalidFormat
        case .dataAfterFirstMember: return .logDataAfterGzipMember
        }
    }

    var reason: String {
        switch self {
        case .hashMismatch: return "hash value doesn't match"
        case .notFound: return "not found"
        case .invalidFormat, .dataAfterFirstMember: return "invalid format"
        }
    }
}

/// Why a digest file failed validation, with the reference's wording.
public enum DigestProblem: Error, Sendable, Equatable, Codable {
    case notFound
    case invalidFormat
    case signatureVerificationFailed
    case moved
    case publicKeyNotFound(region: String, fingerprint: String)
    case unloadablePublicKey(fingerprint: String)
    /// Any other failure, worded as the reference words that exception.
    case other(String)

    public var kind: FindingKind {
        switch self {
        case .notFound: return .digestNotFound
        case .invalidFormat: return .digestInvalidFormat
        case .signatureVerificationFailed: return .digestSignatureInvalid
        case .moved: return .digestMoved
        case .publicKeyNotFound: return .digestPublicKeyNotFound
        case .unloadablePublicKey: return .digestPublicKeyUnloadable
        case .other: return .digestInvalid
        }
    }

    var reason: String {
        switch self {
        case .notFound: return "not found"
        case .invalidFormat: return "invalid format"
        case .signatureVerificationFailed: return "signature verification failed"
        case .moved: return "has been moved from its original location"
        case .publicKeyNotFound(let region, let fingerprint):
            return "public key not found in region \(region) for fingerprint \(fingerprint)"
        case .unloadablePublicKey(let fingerprint): return "Unable to load PKCS #1 key with fingerprint \(fingerprint)"
        case .other(let message): return message
        }
    }
}

/// Why two digests that are each valid do not link: beyond the reference,
/// which never compares a digest's previous* fields with its predecessor.
public enum LinkProblem: String, Sendable, Codable {
    case hashMismatch = "previousDigestHashValue does not match the previous digest file"
    case signatureMismatch = "previousDigestSignature does not match the previous digest file's signature"
}

/// One thing validation found, in output order. Lines follow the reference's
/// tab-separated style so tools that grep for "INVALID" keep working.
public enum ValidationEvent: Sendable, Equatable {
    case digestValid(ObjectLocation, DigestKind, start: Date, end: Date)
    case digestInvalid(ObjectLocation, DigestKind, DigestProblem)
    /// The chain restarts (logging or validation was off) between `from` and `to`.
    case gap(DigestKind, from: Date, to: Date)
    case logValid(ObjectLocation)
    case logInvalid(ObjectLocation, LogProblem)
    /// Beyond the reference: the newer digest's link to the older one is false.
    case chainLinkBroken(newer: ObjectLocation, older: ObjectLocation, LinkProblem)
    /// Beyond the reference: besides the digest just reported, about `count`
    /// more hourly digests between `from` and `to` are missing.
    case digestsMissing(folder: ObjectLocation, DigestKind, count: Int, from: Date, to: Date)
    /// Beyond the reference: a log file in the trail's folder that no digest lists.
    case logUnreferenced(ObjectLocation)

    /// True for lines the reference writes to stderr (problems and gaps).
    public var isProblem: Bool {
        switch self {
        case .digestValid, .logValid: return false
        default: return true
        }
    }

    /// True for what makes a run fail (everything but valid files and gaps).
    public var isFinding: Bool { kind != nil }

    /// The finding's kind, for JSON, the state and reports; nil for what is not a
    /// finding (valid files and gaps).
    public var kind: FindingKind? {
        switch self {
        case .digestValid, .gap, .logValid: return nil
        case .digestInvalid(_, _, let problem): return problem.kind
        case .logInvalid(_, let problem): return problem.kind
        case .chainLinkBroken(_, _, let problem): return problem == .hashMismatch ? .chainLinkHashMismatch : .chainLinkSignatureMismatch
        case .digestsMissing: return .digestsMissing
        case .logUnreferenced: return .logUnreferenced
        }
    }

    /// The object the line is about.
    public var object: ObjectLocation? {
        switch self {
        case .digestValid(let location, _, _, _), .digestInvalid(let location, _, _), .logValid(let location),
             .logInvalid(let location, _), .chainLinkBroken(let location, _, _), .logUnreferenced(let location):
            return location
        case .digestsMissing(let folder, _, _, _, _):
            return folder
        case .gap:
            return nil
        }
    }

    /// The line as the reference would print it (or, for checks it lacks, in its style), with
    /// the characters of keys that would break or disguise the line escaped (`KeyText`).
    public var line: String {
        switch self {
        case .digestValid(let location, let kind, _, _):
            return "\(kind.linePrefix)Digest file\t\(location.lineText)\tvalid"
        case .digestInvalid(let location, let kind, let problem):
            return "\(kind.linePrefix)Digest file\t\(location.lineText)\tINVALID: \(problem.reason)"
        case .gap(let kind, let from, let to):
            return "\(kind.linePrefix)No log files were delivered by CloudTrail between \(CloudTrailTime.display(from)) and \(CloudTrailTime.display(to))"
        case .logValid(let location):
            return "Log file\t\(location.lineText)\tvalid"
        case .logInvalid(let location, let problem):
            return "Log file\t\(location.lineText)\tINVALID: \(problem.reason)"
        case .chainLinkBroken(let newer, let older, let problem):
            return "Digest file\t\(newer.lineText)\tINVALID: \(problem.rawValue) \(older.lineText)"
        case .digestsMissing(let folder, let kind, let count, let from, let to):
            return "\(kind.linePrefix)Digest files\t\(folder.lineText)\tINVALID: \(count) more not found between \(CloudTrailTime.display(from)) and \(CloudTrailTime.display(to))"
        case .logUnreferenced(let location):
            return "Log file\t\(location.lineText)\tINVALID: not referenced by any digest file"
        }
    }
}
