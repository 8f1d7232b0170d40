import Foundation
import Testing
@testable import TrailWardenReports

@Suite struct ReportTextTests {
    @Test func percentagesRoundDownAndOnlyFullCoverageIsAHundred() {
        #expect(ReportText.percent(0.29) == "29.00")
        #expect(ReportText.percent(0.8) == "80.00")
        #expect(ReportText.percent(486_000.0 / 604_800) == "80.35")
        #expect(ReportText.percent(0.99999) == "99.99")
        #expect(ReportText.percent(1 - 1.0 / 30_000_000_000) == "99.99")
        #expect(ReportText.percent(1) == "100.00")
        #expect(ReportText.percent(0) == "0.00")
    }

    @Test func timesAreUTCToTheSecond() {
        #expect(ReportText.time(Date(timeIntervalSince1970: 1_795_770_000.75)) == "2026-11-27T09:00:00Z")
        #expect(ReportText.seconds(3600) == "3600")
        #expect(ReportText.seconds(0.5) == "0.5")
    }
}
