import Foundation
import Testing
import TrailWardenVocabulary

@Suite struct CloudTrailTimeTests {
    @Test func parsesTheFormsUsersAndCloudTrailWrite() {
        let expected = Date(timeIntervalSince1970: 1_420_694_502)  // 2015-01-08T05:21:42Z
        for text in ["2015-01-08T05:21:42Z", "2015-01-08T05:21:42", "2015-01-08 05:21:42Z", "20150108T052142Z",
                     "2015-01-08T07:21:42+02:00", "2015-01-08T04:21:42-0100", "2015-01-08T06:21:42+01"] {
            #expect(CloudTrailTime.parse(text) == expected, "\(text)")
        }
        #expect(CloudTrailTime.parse("2015-01-08T05:21:42.500Z") == expected.addingTimeInterval(0.5))
        #expect(CloudTrailTime.parse("2015-01-08") == CloudTrailTime.parse("2015-01-08T00:00:00Z"))
        #expect(CloudTrailTime.parse("20150108T0521Z") == CloudTrailTime.parse("2015-01-08T05:21:00Z"))
    }

    @Test func rejectsWhatIsNotATime() {
        for text in ["", "yesterday", "2015-13-01", "2015-02-30", "2015-01-08T25:00:00Z", "2015-01-08T05:21:42Zjunk", "2015-01-08T05:21:42."] {
            #expect(CloudTrailTime.parse(text) == nil, "\(text)")
        }
    }

    @Test func formatsLikeTheReference() {
        let date = CloudTrailTime.parse("2026-03-04T05:06:07.9Z")!
        #expect(CloudTrailTime.display(date) == "2026-03-04T05:06:07Z")
        #expect(CloudTrailTime.keyStamp(date) == "20260304T050607Z")
        #expect(CloudTrailTime.logKeyStamp(date) == "20260304T0506Z")
        #expect(CloudTrailTime.dayPath(date) == "2026/03/04")
    }
}

/// The strict form AWS writes (credential expirations, SigV4 dates).
@Suite struct AWSTimestampTests {
    @Test func formats() {
        let date = Date(timeIntervalSince1970: 1_709_164_799.999)
        #expect(CloudTrailTime.keyStamp(date) == "20240228T235959Z")
        #expect(CloudTrailTime.display(date) == "2024-02-28T23:59:59Z")
    }

    @Test(arguments: [
        ("2026-01-15T09:30:07Z", 1_768_469_407.0),
        ("2026-01-15T09:30:07.250Z", 1_768_469_407.25),
        ("2026-01-15T10:30:07+01:00", 1_768_469_407.0),
        ("2026-01-15T04:00:07-0530", 1_768_469_407.0),
        ("2026-01-15 09:30:07z", 1_768_469_407.0),
    ])
    func parses(text: String, seconds: Double) {
        #expect(CloudTrailTime.parseTimestamp(text)?.timeIntervalSince1970 == seconds)
    }

    @Test(arguments: ["", "2026-01-15", "2026-01-15T09:30:07", "2026-13-15T09:30:07Z", "2026-01-15T09:30:07.Z", "2026-01-15T09:30:07Zjunk",
                      "20260115T093007Z", "2026-01-15T09:30Z", "2026-01-15T09:30:07+01", "2026-01-15T09:30:07,5Z", " 2026-01-15T09:30:07Z"])
    func rejects(text: String) {
        #expect(CloudTrailTime.parseTimestamp(text) == nil)
    }
}
