import Foundation
import Testing
import TrailWardenVocabulary

@Suite struct FindingKindTests {
    @Test func everyKnownWordNamesItsOwnCase() {
        #expect(Set(FindingKind.known.map(\.rawValue)).count == FindingKind.known.count)
        for kind in FindingKind.known {
            #expect(FindingKind(rawValue: kind.rawValue) == kind, "\(kind)")
        }
        #expect(FindingKind(rawValue: "log-hash-mismatch") == .logHashMismatch)
    }

    @Test func anUnknownWordIsKeptExactly() throws {
        let kind = FindingKind(rawValue: "Some-Future kind")
        #expect(kind == .unrecognized("Some-Future kind"))
        #expect(kind.rawValue == "Some-Future kind")
        let encoded = try JSONEncoder().encode([kind, .chainNoDigests])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["Some-Future kind","chain-no-digests"]"#)
        #expect(try JSONDecoder().decode([FindingKind].self, from: encoded) == [kind, .chainNoDigests])
    }

    @Test(arguments: [
        ("trail-future-setting", FindingCategory.posture), ("log-future-problem", .invalidLog), ("future-kind", .invalidDigest),
        ("digest-moved", .invalidDigest), ("log-data-after-gzip-member", .invalidLog), ("trail-validation-disabled", .posture),
    ])
    func wordsFallIntoTheirFamilies(word: String, category: FindingCategory) {
        #expect(FindingKind(rawValue: word).category == category)
    }
}
