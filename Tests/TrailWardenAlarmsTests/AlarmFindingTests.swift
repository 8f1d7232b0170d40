import Foundation
import Testing
import TrailWardenCore
@testable import TrailWardenAlarms
import TrailWardenVocabulary

@Suite struct AlarmFindingTests {
    @Test(arguments: [
        ("log-hash-mismatch", FindingCategory.invalidLog), ("log-unreferenced", .unreferencedLog),
        ("digest-signature-invalid", .invalidDigest), ("digests-missing", .missingDigests), ("chain-no-digests", .missingDigests),
        ("chain-checkpoint-break", .chainBreak), ("chain-link-hash-mismatch", .chainBreak), ("trail-logging-stopped", .posture),
        ("some-future-kind", .invalidDigest),
    ])
    func aFindingTakesTheCategoryOfItsKind(kind: String, category: FindingCategory) {
        let finding = AlarmFinding(accountID: "111111111111", trailARN: "arn:aws:cloudtrail:us-east-1:111111111111:trail/t",
                                   region: "us-east-1", kind: FindingKind(rawValue: kind), object: "s3://b/k", message: "m", firstSeen: Date(), status: .open)
        #expect(finding.category == category)
    }
}
