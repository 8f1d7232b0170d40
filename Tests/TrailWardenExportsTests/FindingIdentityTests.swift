import Foundation
import Testing
import TrailWardenCrypto
import TrailWardenVocabulary

/// The stable id: derived as documented, the same for the same chain, object and
/// kind whatever else differs, and different when any of the three differs.
@Suite struct FindingIdentityTests {
    private let identity = FindingIdentity(accountID: "111111111111", trailARN: "arn:aws:cloudtrail:us-east-1:111111111111:trail/t",
                                           sourceRegion: "eu-west-1", kind: .logHashMismatch, object: "s3://b/k \"quoted\"")

    @Test func theIdIsTheSHA256OfTheDocumentedText() {
        let text = "trailwarden-finding-id/1\naccount=\"111111111111\"\ntrail=\"arn:aws:cloudtrail:us-east-1:111111111111:trail/t\"\n"
            + "region=\"eu-west-1\"\nkind=\"log-hash-mismatch\"\nobject=\"s3://b/k \\\"quoted\\\"\"\n"
        #expect(identity.canonicalText == text)
        #expect(identity.uid == Digests.sha256Hex(Array(text.utf8)))
        #expect(identity.uid.count == 64 && identity.uid.allSatisfy { $0.isHexDigit && !$0.isUppercase })
    }

    @Test func eachPartChangesTheIdAndNothingElseIsInIt() {
        var changed = [identity]
        for change in [{ (i: inout FindingIdentity) in i.accountID = "222222222222" }, { $0.trailARN += "2" }, { $0.sourceRegion = nil },
                       { $0.kind = .logNotFound }, { $0.object += "x" }] {
            var other = identity
            change(&other)
            changed.append(other)
        }
        #expect(Set(changed.map(\.uid)).count == changed.count)
        let again = FindingIdentity(accountID: "111111111111", trailARN: identity.trailARN, sourceRegion: "eu-west-1",
                                    kind: FindingKind(rawValue: "log-hash-mismatch"), object: identity.object)
        #expect(again.uid == identity.uid)
    }

    @Test func resourcesAreNamedAsARNs() {
        #expect(identity.s3ObjectARN == "arn:aws:s3:::b/k \"quoted\"" && identity.bucket == "b")
        #expect(identity.trail == identity.trailARN && identity.region == "eu-west-1")
        let china = FindingIdentity(accountID: "1", trailARN: "arn:aws-cn:cloudtrail:cn-north-1:1:trail/t", sourceRegion: nil,
                                    kind: .trailLoggingStopped, object: "arn:aws-cn:cloudtrail:cn-north-1:1:trail/t")
        #expect(china.partition == "aws-cn" && china.region == "cn-north-1" && china.s3ObjectARN == nil)
        let uncovered = FindingIdentity(accountID: "1", trailARN: "1/us-gov-west-1", sourceRegion: nil, kind: .regionUncovered,
                                        object: "1/us-gov-west-1")
        #expect(uncovered.region == "us-gov-west-1" && uncovered.partition == "aws-us-gov" && uncovered.trail == nil)
    }

    @Test func everyKindHasASeverityTitleAndRemediation() {
        for kind in FindingKind.known + [.unrecognized("x-new")] {
            #expect(!kind.title.isEmpty && kind.title.count < 80)
            #expect(kind.remediation.count > 100 && kind.remediation.contains("`"))
        }
        #expect(FindingKind.digestSignatureInvalid.severity > FindingKind.trailLoggingStopped.severity)
        #expect(FindingKind.trailLoggingStopped.severity > FindingKind.regionUncovered.severity)
        #expect(Set(FindingKind.known.map(\.title)).count >= FindingKind.known.count - 1)
    }
}
