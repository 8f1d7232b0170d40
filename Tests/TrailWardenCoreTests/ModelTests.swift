import Foundation
import Testing
@testable import TrailWardenCore
import TrailWardenVocabulary

@Suite struct TrailARNTests {
    @Test func parsesParts() throws {
        let arn = try #require(TrailARN("arn:aws:cloudtrail:eu-west-1:123456789012:trail/sec_audit.trail-2"))
        #expect(arn.region == "eu-west-1")
        #expect(arn.accountID == "123456789012")
        #expect(arn.name == "sec_audit.trail-2")
        #expect(TrailARN("arn:aws-cn:cloudtrail:cn-north-1:123456789012:trail/x")?.partition == "aws-cn")
    }

    @Test func rejectsWhatTheReferenceRejects() {
        for text in ["", "arn:aws:cloudtrail:us-east-1:12345:trail/x", "arn:aws:s3:us-east-1:123456789012:trail/x",
                     "arn:aws:cloudtrail:us-east-1:123456789012:bucket/x", "arn:aws:cloudtrail:us-east-1:123456789012:trail/"] {
            #expect(TrailARN(text) == nil, "\(text)")
        }
    }
}

@Suite struct DigestChainTests {
    let chain = DigestChain(bucket: "b", prefix: "logs/", organizationID: nil, accountID: "123456789012",
                            trailName: "sec_audit.trail-2", homeRegion: "us-east-1", sourceRegion: "eu-west-1")

    @Test func buildsKeysInCloudTrailsLayout() {
        let end = CloudTrailTime.parse("2026-01-02T03:04:05Z")!
        #expect(chain.prefix == "logs")
        #expect(chain.digestKey(endingAt: end) ==
            "logs/AWSLogs/123456789012/CloudTrail-Digest/eu-west-1/2026/01/02/123456789012_CloudTrail-Digest_eu-west-1_sec_audit.trail-2_us-east-1_20260102T030405Z.json.gz")
        #expect(chain.digestKey(endingAt: end, backfill: true).hasSuffix("_20260102T030405Z_backfill.json.gz"))
        var organization = chain
        organization.organizationID = "o-abc123"
        #expect(organization.logFolder == "logs/AWSLogs/o-abc123/123456789012/CloudTrail/eu-west-1/")
    }

    @Test func parsesItsOwnKeysAndNoOtherTrails() throws {
        let end = CloudTrailTime.parse("2026-01-02T03:04:05Z")!
        let name = try #require(chain.digestKeyName(chain.digestKey(endingAt: end, backfill: true)))
        #expect(name.isBackfill)
        #expect(name.stamp == "20260102T030405Z")
        #expect(name.endTime == end)
        var other = chain
        other.trailName = "sec_audit.trail-2_us-east-1_x"
        #expect(chain.digestKeyName(other.digestKey(endingAt: end)) == nil)
        other = chain
        other.trailName = "sec"
        #expect(chain.digestKeyName(other.digestKey(endingAt: end)) == nil)
        #expect(chain.digestKeyName(chain.digestFolder + "2026/01/02/garbage.json.gz") == nil)
        let shared = try #require(DigestKeyName(key: other.digestKey(endingAt: end), folder: chain.digestFolder,
                                                accountID: chain.accountID, sourceRegion: chain.sourceRegion))
        #expect(shared.trailName == "sec")
    }

    @Test func findsTheEndTimeByPositionAsTheReferenceDoes() throws {
        let end = try #require(CloudTrailTime.parse("2026-01-02T03:04:05Z"))
        for backfill in [false, true] {
            let key = chain.digestKey(endingAt: end, backfill: backfill)
            #expect(DigestKeyName.endTime(inKey: key) == chain.digestKeyName(key)?.endTime)
            #expect(DigestKeyName.isBackfill(key: key) == backfill)
        }
        // Any key: the 16 characters before the suffix, or nothing, never a crash.
        #expect(DigestKeyName.endTime(inKey: "x20260102T030405Z.json.gz") == end)
        for odd in ["", ".json.gz", "_backfill.json.gz", "é20260102T030405Z_backfill.json.gz".dropFirst().description,
                    "🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂.json.gz", "20260102T030405Z"] {
            #expect(DigestKeyName.endTime(inKey: odd) == nil || odd.hasPrefix("2026"), "\(odd)")
        }
    }

    @Test func parsesLogKeys() throws {
        let key = chain.logFolder + "2026/01/02/123456789012_CloudTrail_eu-west-1_20260102T0304Z_abcDEF0123456789.json.gz"
        let name = try #require(LogKeyName(key: key, folder: chain.logFolder, accountID: "123456789012", sourceRegion: "eu-west-1"))
        #expect(name.deliveryTime == CloudTrailTime.parse("2026-01-02T03:04:00Z"))
        #expect(LogKeyName(key: key, folder: chain.logFolder, accountID: "999999999999", sourceRegion: "eu-west-1") == nil)
    }
}

@Suite struct DigestFileTests {
    static var valid: [String: Any] {
        [
        "digestStartTime": "2026-01-01T00:00:00Z", "digestEndTime": "2026-01-01T01:00:00Z", "digestS3Bucket": "b",
        "digestS3Object": "k", "digestPublicKeyFingerprint": "f", "previousDigestSignature": NSNull(),
        "logFiles": [["s3Bucket": "b", "s3Object": "l", "hashValue": "h", "extra": 1]], "unknownField": [1, 2],
        ]
    }

    func json(_ object: Any) -> [UInt8] { [UInt8](try! JSONSerialization.data(withJSONObject: object)) }

    @Test func decodesAndIgnoresUnknownFields() throws {
        let file = try DigestFile(json: json(Self.valid))
        #expect(file.previousDigestSignature == nil)
        #expect(!file.hasPreviousLink)
        #expect(file.logFiles == [LogFileReference(bucket: "b", key: "l", hashValue: "h")])
        #expect(file.stringToSign(uncompressedSHA256Hex: "abc") == "2026-01-01T01:00:00Z\nb/k\nabc\nnull")
    }

    @Test func missingOrMistypedFieldsAreFormatErrors() {
        for field in ["digestStartTime", "digestEndTime", "digestS3Bucket", "digestS3Object", "digestPublicKeyFingerprint",
                      "previousDigestSignature", "logFiles"] {
            var object = Self.valid
            object[field] = nil
            #expect(throws: DigestFile.FormatError.self, "\(field) missing") { try DigestFile(json: json(object)) }
            object[field] = 42
            #expect(throws: DigestFile.FormatError.self, "\(field) mistyped") { try DigestFile(json: json(object)) }
        }
        var object = Self.valid
        object["logFiles"] = [["s3Bucket": "b", "s3Object": "l"]]
        #expect(throws: DigestFile.FormatError(field: "logFiles[0].hashValue")) { try DigestFile(json: json(object)) }
        object["previousDigestS3Object"] = ["not": "a string"]
        #expect(throws: DigestFile.FormatError.self) { try DigestFile(json: json(object)) }
        #expect(throws: DigestFile.FormatError.self) { try DigestFile(json: Array("[1,2]".utf8)) }
        #expect(throws: DigestFile.FormatError.self) { try DigestFile(json: Array("{not json".utf8)) }
        #expect(throws: DigestFile.FormatError.self) { try DigestFile(json: []) }
    }
}

extension DigestFileTests {
    @Test func readsJSONAsPythonDoes() throws {
        let text = #"""
        {"unknown":{"deep":[[[{"a":[1,-2.5e+3,true,false,null,"\u00e9\ud83d\ude42"]}]]]},
         "digestStartTime":"2026-01-01T00:00:00Z","digestEndTime":"2026-01-01T01:00:00Z",
         "digestS3Bucket":"first","digestS3Bucket":"b\/\u0062","digestS3Object":"k\n","digestPublicKeyFingerprint":"f",
         "previousDigestSignature":null,"logFiles":[{"hashValue":"h","s3Object":"l","s3Bucket":"b","x":{}}]}
        """#
        let file = try DigestFile(json: Array(text.utf8))
        #expect(file.digestS3Bucket == "b/b")
        #expect(file.digestS3Object == "k\n")
        #expect(file.logFiles == [LogFileReference(bucket: "b", key: "l", hashValue: "h")])
        // Not JSON at all, as opposed to JSON of the wrong shape.
        for bad in ["{\"a\":1", "{\"a\":01}", "{\"a\":\"\u{1}\"}", "{\"a\":\"\\ud800\"}", "{} x", "[" + String(repeating: "[", count: 600)] {
            #expect(DigestFile.decode(Array(bad.utf8)) == nil, "\(bad)")
        }
        #expect(DigestFile.decode(Array("[1]".utf8)).map { (try? $0.get()) == nil } == true)
        #expect(DigestFile.decode([0x22, 0xff, 0x22]) == nil)
    }
}

@Suite struct PublicKeyListTests {
    static let der = Data(base64Encoded: "MIIBCgKCAQEAlSS3cl92HDycr/MTj0moOhas8habjrraXw+KzlWF0axSI2tcF+3iJ9BKQAVSKxGwxwu3m0wG3J+kUl1xboEcEPHYoIYMbgfSw7KGnuDKwkLzsQWhUJ0cIbOHASox1vv/5fNXkrHhGbDCHeVXm804c83nvHUEFYThr1PfyP/8HwrCtR3FX5OANtQCP61C1nJtSSkC8JSQUOrIP4CuwJjc+4WGDk+BGH5m9iuiAKkipEHWmUl8/P7XpfpWQuk4h8g3pXZOrNXr08lbh4d39svj7UqdhvOXoBISp9t/EXYuePGEtBdrKD9Dz+VHwyUPtBQvYr9BnkF88qBnaPNhS44rzwIDAQAB")!

    func decode(_ text: String) throws -> [PublicKey] { try PublicKeyList.decode(Data(text.utf8), file: "keys.json") }

    @Test func decodesEpochAndISOTimes() throws {
        let value = Self.der.base64EncodedString()
        let keys = try decode("""
        {"PublicKeyList":[{"Value":"\(value)","Fingerprint":"7f3f401420072e50a65a141430817ab3","ValidityStartTime":1453076702.0,"ValidityEndTime":"2016-02-17T00:25:02Z"}]}
        """)
        #expect(keys.count == 1)
        #expect(keys[0].validityStart == Date(timeIntervalSince1970: 1_453_076_702))
        #expect(keys[0].validityEnd == CloudTrailTime.parse("2016-02-17T00:25:02Z"))
        #expect(keys[0].isValid(overlapping: CloudTrailTime.parse("2016-02-16T00:00:00Z")!, CloudTrailTime.parse("2016-03-01T00:00:00Z")!))
        #expect(!keys[0].isValid(overlapping: CloudTrailTime.parse("2016-02-18T00:00:00Z")!, CloudTrailTime.parse("2016-03-01T00:00:00Z")!))
    }

    @Test func namesTheFileAndFieldOfEveryProblem() {
        let value = Self.der.base64EncodedString()
        let cases: [(String, String)] = [
            ("not json", "keys.json: (document) is not a JSON object"),
            ("{}", "keys.json: PublicKeyList is missing or not a list"),
            (#"{"PublicKeyList":[1]}"#, "keys.json: PublicKeyList[0] is not an object"),
            (#"{"PublicKeyList":[{"Value":"***"}]}"#, "keys.json: PublicKeyList[0].Value is missing or not base64"),
            (#"{"PublicKeyList":[{"Value":"\#(value)","Fingerprint":"00"}]}"#,
             "keys.json: PublicKeyList[0].Fingerprint is 00 but the key's MD5 fingerprint is 7f3f401420072e50a65a141430817ab3"),
            (#"{"PublicKeyList":[{"Value":"\#(value)","ValidityStartTime":"soon"}]}"#,
             "keys.json: PublicKeyList[0].ValidityStartTime is not a time: soon"),
        ]
        for (text, message) in cases {
            do {
                _ = try decode(text)
                Issue.record("accepted \(text)")
            } catch {
                #expect(String(describing: error) == message)
            }
        }
    }
}

@Suite struct ChainLinkTests {
    @Test func comparesHashThenSignature() throws {
        var object = DigestFileTests.valid
        object["previousDigestHashValue"] = "AB"
        object["previousDigestSignature"] = "cd"
        let file = try DigestFile(json: [UInt8](JSONSerialization.data(withJSONObject: object)))
        #expect(ChainLink.problem(newer: file, olderSHA256: "ab", olderSignature: "CD") == nil)
        #expect(ChainLink.problem(newer: file, olderSHA256: "ff", olderSignature: "cd") == .hashMismatch)
        #expect(ChainLink.problem(newer: file, olderSHA256: "ab", olderSignature: "ff") == .signatureMismatch)
    }
}

@Suite struct OrderedConcurrentMapTests {
    @Test func handsResultsOverInInputOrder() async throws {
        let items = Array(0..<200)
        var seen = [Int]()
        try await forEachConcurrently(items, limit: 7, operation: { item in
            try await Task.sleep(nanoseconds: UInt64((item * 7_919) % 13) * 100_000)
            return item * 2
        }, inOrder: { index, output in
            #expect(output == index * 2)
            seen.append(index)
        })
        #expect(seen == items)
    }

    @Test func propagatesErrors() async {
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await forEachConcurrently(Array(0..<50), limit: 4, operation: { item in
                if item == 17 { throw Boom() }
                return item
            }, inOrder: { _, _ in })
        }
    }
}
