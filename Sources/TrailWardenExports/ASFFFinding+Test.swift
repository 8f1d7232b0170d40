import Foundation
import TrailWardenVocabulary

extension ASFFFinding {
    /// `trailwarden alarm test`'s finding: informational, archived, and always the same `Id`
    /// per account, so testing again updates it rather than adding findings.
    public static func test(destination: ASFFDestination, at date: Date) -> ASFFFinding {
        let identity = FindingIdentity(accountID: destination.accountID, trailARN: "", sourceRegion: destination.region,
                                       kind: .unrecognized("alarm-test"), object: "trailwarden alarm test")
        var finding = ASFFFinding(ExportedFinding(identity: identity, message: "", firstSeen: date, lastSeen: date, status: .resolved,
                                                  updatedAt: date), destination: destination)
        finding.Id = "trailwarden-alarm-test-" + destination.accountID
        finding.GeneratorId = "trailwarden/alarm-test"
        finding.Types = ["Software and Configuration Checks/TrailWarden/Alarm Test"]
        finding.Severity = SeverityField(Label: "INFORMATIONAL", Normalized: 0, Original: "alarm-test")
        finding.Title = "TrailWarden alarm test: nothing is wrong"
        finding.Description = "A test from `trailwarden alarm test`: TrailWarden can import findings into this Security Hub. No action is needed."
        finding.Remediation = RemediationField(Recommendation: Recommendation(Text: "None: this is a test."))
        return finding
    }
}
