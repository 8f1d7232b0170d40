import Foundation
import Testing
import TrailWardenCore
@testable import TrailWardenAlarms

@Suite struct AlarmTextTests {
    @Test func theSubjectCountsFindingsAndAccounts() {
        #expect(AlarmText(SampleNotices.notice(findings: 7)).subject == "TrailWarden: 7 new findings in 2 accounts (scan 12)")
        #expect(AlarmText(SampleNotices.notice(findings: 1)).subject == "TrailWarden: 1 new finding in 1 account (scan 12)")
    }

    @Test func theSubjectFitsSNSEvenWithHugeNumbers() {
        let notice = SampleNotices.notice(findings: 3, runID: Int64.max)
        let part = AlarmPart(number: Int.max, count: Int.max, findingsInPart: Int.max)
        for subject in [AlarmText(notice).subject(part: part), AlarmText(notice).subject] {
            #expect(subject.count <= AlarmText.subjectLimit)
            #expect(subject.unicodeScalars.allSatisfy { (0x20..<0x7f).contains($0.value) })
            #expect(subject.hasPrefix("TrailWarden: 3 new findings"))
        }
        #expect(AlarmText(notice).subject(part: part).hasSuffix(part.label))
    }

    @Test func aTestNoticeIsMarkedAndSaysNothingIsWrong() throws {
        var notice = SampleNotices.notice(findings: 0)
        notice.isTest = true
        let text = AlarmText(notice)
        #expect(text.subject == "TrailWarden TEST message (no findings)")
        let firstLine = try #require(text.body.split(separator: "\n").first)
        #expect(firstLine.hasPrefix("TEST MESSAGE"))
        #expect(firstLine.contains("nothing is wrong"))
        #expect(!text.body.contains("Scan errors"))
        #expect(!AlarmText(SampleNotices.notice(findings: 0)).body.contains("TEST"))
    }

    @Test func theBodyListsEveryFindingReadablyByAccountAndTrail() {
        let notice = SampleNotices.notice(findings: 12)
        let body = AlarmText(notice).body
        #expect(!body.contains("\t"))
        #expect(body.contains("Caller:    arn:aws:iam::999999999999:role/Audit\nFinished:  2026-01-01T05:21:42Z"))
        #expect(body.contains("  invalid log files       2\n"))
        #expect(body.contains("  trail posture           2\n"))
        #expect(body.contains("Scan errors: 2 (in accounts 1, outside any account 1)"))
        #expect(SampleNotices.occurrences(of: "\nAccount 111111111111\n  Trail arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail\n", in: body) == 1)
        #expect(body.contains("    - [us-east-1] Log file s3://trail-bucket/AWSLogs/111111111111/CloudTrail/us-east-1/2026/01/01/file-0.json.gz"
            + " — INVALID: hash value doesn't match\n      log-hash-mismatch, open, first seen 2026-01-01T04:21:42Z\n"))
        #expect(SampleNotices.findingIndexes(in: body).sorted() == Array(0..<12))
        #expect(body.contains("Accounts scanned (2):\n  111111111111  chains validated 10, errors 0\n  222222222222  chains validated 11, errors 1\n"))
        #expect(body.hasSuffix("Full report: trailwarden report --state STATE_FILE (this was scan 12).\n"))
    }

    @Test func anOversizedBodyIsCutBetweenFindingsKeepingEachOnce() {
        let notice = SampleNotices.notice(findings: 5_000, accounts: ["111111111111", "222222222222", "333333333333"], padding: 200)
        let parts = AlarmText(notice).parts(maximumBodyBytes: 100_000)
        #expect(parts.count > 10)
        #expect(parts.flatMap(\.findings).count == 5_000)
        for (offset, part) in parts.enumerated() {
            #expect(part.body.utf8.count <= 100_000)
            #expect(part.subject.hasSuffix("(part \(offset + 1)/\(parts.count))"))
            #expect(part.body.hasPrefix(part.subject + "\n"))
        }
        #expect(parts.flatMap { SampleNotices.findingIndexes(in: $0.body) }.sorted() == Array(0..<5_000))
    }

    @Test(arguments: [300, 1_000, 3_000])
    func chatTextIsTruncatedWithAnExactRemainder(limit: Int) throws {
        let text = AlarmText(SampleNotices.notice(findings: 200)).chatText(characterLimit: limit)
        #expect(text.count <= limit)
        #expect(text.hasPrefix("*TrailWarden: 200 new findings in 2 accounts (scan 12)*\n"))
        let listed = text.split(separator: "\n").filter { $0.hasPrefix("• ") }.count
        let last = try #require(text.split(separator: "\n").last)
        #expect(last == "… and \(200 - listed) more")
    }

    @Test func chatTextListsEveryFindingWhenTheyFit() {
        let text = AlarmText(SampleNotices.notice(findings: 3)).chatText()
        #expect(!text.contains("more"))
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("• ") }.count == 3)
        #expect(text.contains("• `111111111111` [us-east-1] Log file s3://"))
    }
}
