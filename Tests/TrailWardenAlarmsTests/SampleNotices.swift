import Foundation
import TrailWardenAlarms
import TrailWardenCore
import TrailWardenVocabulary

/// Notices for tests: findings of every category spread over accounts, each
/// with an object name (`/file-N.json.gz`) found nowhere else in the notice.
enum SampleNotices {
    static let kinds = ["log-hash-mismatch", "digest-signature-invalid", "digests-missing", "chain-checkpoint-break",
                        "log-unreferenced", "trail-logging-stopped"]
    static let finishedAt = Date(timeIntervalSince1970: 1_767_244_902)

    /// `count` findings over `accounts`, round robin, kinds in turn; `padding` lengthens each message.
    static func notice(findings count: Int, accounts: [String] = ["111111111111", "222222222222"], padding: Int = 0,
                       runID: Int64 = 12, finishedAt: Date = finishedAt) -> AlarmNotice {
        let findings = (0..<count).map { index in
            finding(index, account: accounts[index % accounts.count], kind: kinds[index % kinds.count], padding: padding)
        }
        return AlarmNotice(runID: runID, caller: "arn:aws:iam::999999999999:role/Audit", finishedAt: finishedAt, findings: findings,
                           accounts: accounts.enumerated().map { AlarmNotice.AccountFigures(accountID: $1, chainsValidated: 10 + $0, errors: $0) },
                           scanErrors: 1)
    }

    static func finding(_ index: Int, account: String, kind: String, padding: Int = 0) -> AlarmFinding {
        let object = "s3://trail-bucket/AWSLogs/\(account)/CloudTrail/us-east-1/2026/01/01/file-\(index).json.gz"
        let verdict = "INVALID: hash value doesn't match" + String(repeating: ".", count: padding)
        return AlarmFinding(accountID: account, trailARN: "arn:aws:cloudtrail:us-east-1:\(account):trail/org-trail",
                            region: kind.hasPrefix("trail-") ? nil : "us-east-1", kind: FindingKind(rawValue: kind), object: object,
                            message: "Log file\t\(object)\t\(verdict)", firstSeen: finishedAt.addingTimeInterval(-3600), status: .open)
    }

    /// The index of every finding `text` mentions, once per mention, in order.
    static func findingIndexes(in text: String) -> [Int] {
        text.components(separatedBy: "/file-").dropFirst().compactMap { rest in
            rest.range(of: ".json.gz").flatMap { Int(rest[..<$0.lowerBound]) }
        }
    }

    static func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }
}
