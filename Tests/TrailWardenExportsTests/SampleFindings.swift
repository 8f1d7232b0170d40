import Foundation
import TrailWardenExports
import TrailWardenVocabulary

/// Findings of every kind, open and resolved, for the export tests.
enum SampleFindings {
    static let trail = "arn:aws:cloudtrail:us-east-1:999999999999:trail/org-trail"
    static let firstSeen = Date(timeIntervalSince1970: 1_767_240_000)

    static func finding(_ kind: FindingKind, status: FindingStatus = .open, account: String = "111111111111") -> ExportedFinding {
        let posture = kind.category == .posture
        let object = kind == .regionUncovered ? "\(account)/eu-west-1"
            : posture ? trail : "s3://log-archive/AWSLogs/o-abc/\(account)/CloudTrail/us-east-1/2026/01/01/file.json.gz"
        let identity = FindingIdentity(accountID: account, trailARN: posture ? object : trail, sourceRegion: posture ? nil : "us-east-1",
                                       kind: kind, object: object)
        return ExportedFinding(identity: identity, message: "Log file\t\(object)\tINVALID: \(kind)", firstSeen: firstSeen,
                               lastSeen: firstSeen.addingTimeInterval(3600), status: status,
                               updatedAt: firstSeen.addingTimeInterval(status == .open ? 3600 : 7200),
                               provenance: status == .open ? nil : provenance)
    }

    /// The scans behind the resolved samples (the open ones carry none, as an export may not).
    static let provenance = ExportProvenance(callers: ["arn:aws:sts::999999999999:assumed-role/scanner/nightly"],
                                             configurationSHA256: [String(repeating: "ab", count: 32)], runs: [7, 8])

    /// Every known kind, open, then each resolved.
    static var all: [ExportedFinding] {
        FindingKind.known.map { finding($0) } + FindingKind.known.map { finding($0, status: .resolved) }
            + [finding(.unrecognized("log-from-the-future"))]
    }

    /// `json` parsed as an object.
    static func object(_ json: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw NotAnObject(json: json)
        }
        return object
    }

    struct NotAnObject: Error { let json: String }
}
