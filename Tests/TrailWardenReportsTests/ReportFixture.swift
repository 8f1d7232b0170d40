import Foundation
import TrailWardenCore
import TrailWardenReports
import TrailWardenState
import TrailWardenVocabulary

/// One rich report that every renderer test uses: two accounts, three chains,
/// every span state, open and resolved findings (posture ones too), account
/// and chain errors, two runs with alarm outcomes, and hostile text: an object
/// key with markup, quotes and commas, one starting with `=`, and a message
/// with newlines, tabs, pipes and backticks.
enum ReportFixture {
    static let hour: TimeInterval = 3600
    /// What run 1 recorded of its configuration file (run 2 predates the record: unknown).
    static let configurationSHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    static let day: TimeInterval = 86_400
    /// 2026-11-01T00:00:00Z.
    static let periodStart = Date(timeIntervalSince1970: 1_793_491_200)
    static let period = ComplianceReport.Period(from: periodStart, to: periodStart + 7 * day)

    static let hostileObject = "s3://org-trail-bucket/logs/AWSLogs/o-abc123/111122223333/CloudTrail/us-east-1/2026/11/03/"
        + "<script>alert(1)</script>\"onload=alert(2)',x&y.json.gz"
    static let formulaObject = "=HYPERLINK(\"https://evil.example/x\",\"open me\")"
    static let hostileMessage = "Log file\t\(hostileObject)\tINVALID: hash value doesn't match\nsecond line | with `ticks`\r\nthird, \"quoted\""

    static func at(_ offset: TimeInterval) -> Date { periodStart + offset }

    static let eastChain = DigestChain(bucket: "org-trail-bucket", prefix: "logs", organizationID: "o-abc123",
                                       accountID: "111122223333", trailName: "org-trail", homeRegion: "us-east-1",
                                       sourceRegion: "us-east-1")
    static let westChain = DigestChain(bucket: "org-trail-bucket", prefix: "logs", organizationID: "o-abc123",
                                       accountID: "111122223333", trailName: "org-trail", homeRegion: "us-east-1",
                                       sourceRegion: "eu-west-1")
    static let otherChain = DigestChain(bucket: "audit-444455556666", prefix: nil, organizationID: nil,
                                        accountID: "444455556666", trailName: "local-trail", homeRegion: "eu-central-1",
                                        sourceRegion: "eu-central-1")

    static let orgTrailARN = "arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail"
    static let localTrailARN = "arn:aws:cloudtrail:eu-central-1:444455556666:trail/local-trail"

    /// Every state, in a week: 2 days verified, 1 hour invalid, verified, 2 hours
    /// missing, verified, 6 hours without digests, verified, the last day not scanned.
    static let eastTimeline: [ComplianceReport.Span] = [
        .init(start: at(0), end: at(2 * day), state: .verified),
        .init(start: at(2 * day), end: at(2 * day + hour), state: .invalid),
        .init(start: at(2 * day + hour), end: at(3 * day), state: .verified),
        .init(start: at(3 * day), end: at(3 * day + 2 * hour), state: .missing),
        .init(start: at(3 * day + 2 * hour), end: at(5 * day), state: .verified),
        .init(start: at(5 * day), end: at(5 * day + 6 * hour), state: .noDigests),
        .init(start: at(5 * day + 6 * hour), end: at(6 * day), state: .verified),
        .init(start: at(6 * day), end: at(7 * day), state: .notScanned),
    ]

    static var report: ComplianceReport {
        let east = ComplianceReport.Chain(
            trailARN: orgTrailARN, chain: eastChain, counts: tally(validDigests: 160, invalidDigests: 1, validLogs: 900, invalidLogs: 1),
            lastScanned: at(6 * day), timeline: eastTimeline,
            findings: [
                .init(kind: FindingKind(rawValue: "log-hash-mismatch"), object: hostileObject, message: hostileMessage, firstSeen: at(2 * day + 2 * hour),
                      firstSeenRun: 1, lastSeen: at(6 * day), lastSeenRun: 2, status: .open, resolvedAt: nil),
                .init(kind: FindingKind(rawValue: "log-unreferenced"), object: formulaObject, message: "Log file\t\(formulaObject)\tnot referenced by any digest",
                      firstSeen: at(6 * day), firstSeenRun: 2, lastSeen: at(6 * day), lastSeenRun: 2, status: .open, resolvedAt: nil),
                .init(kind: FindingKind(rawValue: "digests-missing"), object: "s3://org-trail-bucket/logs/AWSLogs/o-abc123/111122223333/CloudTrail-Digest/us-east-1/2026/11/04/",
                      message: "2 digest files missing between 2026-11-04T00:00:00Z and 2026-11-04T02:00:00Z", firstSeen: at(2 * day + 2 * hour),
                      firstSeenRun: 1, lastSeen: at(2 * day + 2 * hour), lastSeenRun: 1, status: .resolved, resolvedAt: at(6 * day)),
            ],
            errors: [])
        let west = ComplianceReport.Chain(
            trailARN: orgTrailARN, chain: westChain, counts: tally(validDigests: 144, invalidDigests: 0, validLogs: 700, invalidLogs: 0),
            lastScanned: at(6 * day),
            timeline: [.init(start: at(0), end: at(6 * day), state: .verified), .init(start: at(6 * day), end: at(7 * day), state: .notScanned)],
            findings: [
                .init(kind: FindingKind(rawValue: "chain-checkpoint-break"), object: "s3://org-trail-bucket/logs/AWSLogs/o-abc123/111122223333/CloudTrail-Digest/eu-west-1/",
                      message: "Digest\tchain does not continue from the checkpoint", firstSeen: at(2 * day + 2 * hour), firstSeenRun: 1,
                      lastSeen: at(2 * day + 2 * hour), lastSeenRun: 1, status: .resolved, resolvedAt: at(6 * day)),
            ],
            errors: [.init(run: 2, message: "AccessDenied reading s3://org-trail-bucket/logs/ (eu-west-1)")])
        let other = ComplianceReport.Chain(
            trailARN: localTrailARN, chain: otherChain, counts: tally(validDigests: 168, invalidDigests: 1, validLogs: 400, invalidLogs: 0),
            lastScanned: at(7 * day),
            timeline: [.init(start: at(0), end: at(4 * day), state: .verified),
                       .init(start: at(4 * day), end: at(4 * day + 300), state: .invalid),
                       .init(start: at(4 * day + 300), end: at(7 * day), state: .verified)],
            findings: [
                .init(kind: FindingKind(rawValue: "digest-signature-mismatch"),
                      object: "s3://audit-444455556666/AWSLogs/444455556666/CloudTrail-Digest/eu-central-1/2026/11/05/444455556666_CloudTrail-Digest_eu-central-1_local-trail_eu-central-1_20261105T010500Z.json.gz",
                      message: "Digest file\ts3://audit-444455556666/…\tINVALID: signature verification failed", firstSeen: at(7 * day),
                      firstSeenRun: 2, lastSeen: at(7 * day), lastSeenRun: 2, status: .open, resolvedAt: nil),
            ],
            errors: [])

        var summary = ComplianceReport.Summary()
        summary.accounts = 2
        summary.chains = 3
        summary.validDigests = 472
        summary.invalidDigests = 2
        summary.validLogs = 2000
        summary.invalidLogs = 1
        summary.findings = 7
        summary.openFindings = 4
        summary.resolvedFindings = 3
        summary.findingsByCategory = ["invalid-log": 1, "unreferenced-log": 1, "missing-digests": 1, "chain-break": 1,
                                      "invalid-digest": 1, "posture": 2]
        summary.errors = 2
        summary.validationRuns = 2
        summary.verifiedSeconds = [east, west, other].map(\.verifiedSeconds).reduce(0, +)
        summary.chainSeconds = 3 * 7 * day

        return ComplianceReport(
            generatedAt: at(7 * day + 9 * hour), period: period, accountFilter: [], summary: summary,
            accounts: [
                .init(accountID: "111122223333", chains: [east, west],
                      postureFindings: [
                        .init(kind: FindingKind(rawValue: "trail-log-file-validation-disabled"), object: orgTrailARN,
                              message: "Trail\t\(orgTrailARN)\tlog file validation is disabled", firstSeen: at(5 * day),
                              firstSeenRun: 1, lastSeen: at(6 * day), lastSeenRun: 2, status: .open, resolvedAt: nil),
                      ]),
                .init(accountID: "444455556666", chains: [other],
                      postureFindings: [
                        .init(kind: FindingKind(rawValue: "trail-logging-stopped"), object: localTrailARN, message: "Trail\t\(localTrailARN)\tlogging is stopped",
                              firstSeen: at(2 * day), firstSeenRun: 1, lastSeen: at(2 * day), lastSeenRun: 1, status: .resolved,
                              resolvedAt: at(7 * day)),
                      ],
                      errors: [.init(run: 2, message: "AssumeRole arn:aws:iam::444455556666:role/TrailWarden failed: AccessDenied")]),
            ],
            runs: [
                .init(id: 1, startedAt: at(2 * day + 2 * hour), finishedAt: at(2 * day + 2 * hour + 300),
                      caller: "arn:aws:sts::999988887777:assumed-role/Auditor/ci", configurationSHA256: configurationSHA256,
                      trailwardenVersion: "0.8.1", status: .complete, request: #"{"accounts":[]}"#,
                      errors: [], alarms: [.init(run: 1, target: "sns:arn:aws:sns:us-east-1:999988887777:trailwarden", status: .delivered,
                                                 findings: 4, attempts: 1, error: nil)]),
                .init(id: 2, startedAt: at(6 * day), finishedAt: at(6 * day + 600), caller: "archive /srv/archive",
                      status: .incomplete, request: #"{"accounts":[]}"#, errors: ["organizations:ListAccounts throttled"],
                      alarms: [
                        .init(run: 2, target: "webhook:https://hooks.example.com/trailwarden", status: .failed, findings: 2, attempts: 3,
                              error: "HTTP 500"),
                        .init(run: 2, target: "cloudwatch:TrailWarden@us-east-1", status: .skipped, findings: 2, attempts: 0, error: nil),
                      ]),
            ])
    }

    /// Every finding with the account and chain (nil for posture findings) it belongs to, in report order.
    static var findingsInOrder: [(account: String, chain: ComplianceReport.Chain?, finding: ComplianceReport.Finding)] {
        report.accounts.flatMap { account in
            account.postureFindings.map { (account.accountID, nil, $0) }
                + account.chains.flatMap { chain in chain.findings.map { (account.accountID, chain, $0) } }
        }
    }

    private static func tally(validDigests: Int, invalidDigests: Int, validLogs: Int, invalidLogs: Int) -> ValidationTally {
        var tally = ValidationTally()
        tally.validDigests = validDigests
        tally.invalidDigests = invalidDigests
        tally.validLogs = validLogs
        tally.invalidLogs = invalidLogs
        return tally
    }

    /// A fresh directory per test, removed when the value goes away.
    final class TemporaryDirectory {
        let url: URL

        init() throws {
            url = FileManager.default.temporaryDirectory.appending(path: "trailwarden-reports-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }

        deinit { try? FileManager.default.removeItem(at: url) }
    }
}
