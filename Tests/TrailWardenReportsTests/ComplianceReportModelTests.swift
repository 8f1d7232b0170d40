import Foundation
import Testing
import TrailWardenCore
@testable import TrailWardenReports

@Suite struct ComplianceReportModelTests {
    @Test func coverageIsTheVerifiedShareOfChainTime() {
        var summary = ComplianceReport.Summary()
        #expect(summary.coverage == 1)
        summary.chainSeconds = 400
        summary.verifiedSeconds = 100
        #expect(summary.coverage == 0.25)
    }

    @Test func aChainCountsOnlyVerifiedSpans() {
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let chain = DigestChain(bucket: "b", prefix: nil, organizationID: nil, accountID: "111111111111", trailName: "t",
                                homeRegion: "us-east-1", sourceRegion: "us-east-1")
        let report = ComplianceReport.Chain(
            trailARN: "arn:aws:cloudtrail:us-east-1:111111111111:trail/t", chain: chain, counts: ValidationTally(), lastScanned: nil,
            timeline: [.init(start: start, end: start + 3600, state: .verified), .init(start: start + 3600, end: start + 7200, state: .missing),
                       .init(start: start + 7200, end: start + 9000, state: .verified)],
            findings: [], errors: [])
        #expect(report.verifiedSeconds == 5400)
    }
}
