import Foundation
import Testing
@testable import TrailWardenCLI
import TrailWardenVocabulary

/// Time options take what the AWS CLI takes, plus epoch seconds; a bad one names the option.
@Suite struct TimeOptionTests {
    func time(_ text: String) throws -> Date {
        try ParsedArguments.time(text, option: "start-time")
    }

    @Test func acceptsISOFormsBareDatesAndEpochSeconds() throws {
        let midnight = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
        for text in ["2026-01-01T00:00:00Z", "2026-01-01T00:00:00", "2026-01-01T00:00Z", "2026-01-01T00:00", "2026-01-01T02:00:00+02:00",
                     "2025-12-31T19:00-05:00", "2026-01-01 00:00:00", "2026-01-01", "20260101", "20260101T000000Z", "1767225600",
                     "2026-01-01T00:00:00.000Z"] {
            #expect(try time(text) == midnight, "\(text)")
        }
        #expect(try time("1767225600.5") == midnight.addingTimeInterval(0.5))
        #expect(try time("0") == Date(timeIntervalSince1970: 0))
    }

    @Test func anUnparseableTimeNamesTheOption() async {
        for text in ["yesterday", "2026-13-01", "1767225600.", "-5", "99999999999999", "2026-01-01T00:00:00Zjunk"] {
            #expect(throws: UsageError.self, "\(text)") { try time(text) }
        }
        let run = await Run(["validate", "--trail-arn", CommandLineTests.arn, "--start-time", "1767225600", "--end-time", "last tuesday"])
        #expect(run.code == 2)
        #expect(run.standardError.hasPrefix("trailwarden validate: error: --end-time: Unable to parse date value: last tuesday (use ISO 8601"))
        let report = await Run(["report", "--state", "/nonexistent", "--format", "json", "--from", "2026-02-30"])
        #expect(report.standardError.hasPrefix("trailwarden report: error: --from: Unable to parse date value: 2026-02-30 ("))
    }
}
