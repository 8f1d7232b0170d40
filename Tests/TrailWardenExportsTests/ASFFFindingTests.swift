import Foundation
import Testing
import TrailWardenExports
import TrailWardenVocabulary

/// ASFF as BatchImportFindings takes it: the required attributes, AWS's length
/// limits, the stable Id, and where findings go.
@Suite struct ASFFFindingTests {
    private static let required = ["SchemaVersion", "Id", "ProductArn", "GeneratorId", "AwsAccountId", "Types", "CreatedAt",
                                   "UpdatedAt", "Severity", "Title", "Description", "Resources"]
    private let destination = ASFFDestination(accountID: "222222222222", region: "eu-west-1")

    @Test func everyKindHasTheRequiredAttributesWithinAWSLimits() throws {
        for finding in SampleFindings.all {
            let asff = try SampleFindings.object(try ASFFFinding(finding, destination: destination).json())
            for key in Self.required { #expect(asff[key] != nil, "\(finding.kind): \(key) is missing") }
            #expect(asff["SchemaVersion"] as? String == "2018-10-08")
            #expect(CloudTrailTime.parseTimestamp(asff["CreatedAt"] as? String ?? "") == finding.firstSeen)
            #expect(CloudTrailTime.parseTimestamp(asff["UpdatedAt"] as? String ?? "") == finding.updatedAt)
            #expect((asff["Title"] as? String)?.count ?? 999 <= 256)
            #expect((asff["Description"] as? String)?.count ?? 9999 <= 1024)
            let recommendation = ((asff["Remediation"] as? [String: Any])?["Recommendation"] as? [String: Any])?["Text"] as? String
            #expect((recommendation?.count ?? 999) <= 512 && recommendation?.isEmpty == false)
            let severity = try #require(asff["Severity"] as? [String: Any])
            #expect(["MEDIUM", "HIGH", "CRITICAL"].contains(severity["Label"] as? String ?? ""))
            let types = try #require(asff["Types"] as? [String])
            #expect(!types.isEmpty && types.allSatisfy { $0.split(separator: "/").count == 3 })
            let resources = try #require(asff["Resources"] as? [[String: Any]])
            #expect(!resources.isEmpty && resources.allSatisfy { $0["Type"] is String && $0["Id"] is String })
            #expect(asff["RecordState"] as? String == (finding.status == .open ? "ACTIVE" : "ARCHIVED"))
        }
    }

    @Test func findingsGoToTheImportingAccountAndNameTheirOwnInResources() throws {
        let finding = SampleFindings.finding(.logHashMismatch)
        let asff = ASFFFinding(finding, destination: destination)
        #expect(asff.AwsAccountId == "222222222222")
        #expect(asff.ProductArn == "arn:aws:securityhub:eu-west-1:222222222222:product/222222222222/default")
        #expect(asff.Id == finding.identity.uid && asff.GeneratorId == "trailwarden/log-hash-mismatch")
        #expect(asff.Resources.map(\.Type) == ["AwsS3Object", "AwsCloudTrailTrail", "AwsAccount"])
        #expect(asff.Resources.map(\.Id) == ["arn:aws:s3:::log-archive/AWSLogs/o-abc/111111111111/CloudTrail/us-east-1/2026/01/01/file.json.gz",
                                             SampleFindings.trail, "AWS::::Account:111111111111"])
        #expect(asff.Resources.allSatisfy { $0.Region == "us-east-1" && $0.Partition == "aws" })
        #expect(asff.ProductFields["trailwarden/accountId"] == "111111111111")
        #expect(asff.ProductFields["trailwarden/version"] == TrailWardenVersion.current)
        #expect(asff.Severity.Label == "CRITICAL" && asff.Title == "CloudTrail log file modified")
        let given = ASFFDestination(accountID: "222222222222", region: "eu-west-1", productArn: "arn:aws:securityhub:eu-west-1:222222222222:product/x/y")
        #expect(ASFFFinding(finding, destination: given).ProductArn == given.productArn)
    }

    @Test func aRegionUncoveredFindingNamesItsAccountAndRegion() throws {
        let asff = ASFFFinding(SampleFindings.finding(.regionUncovered), destination: destination)
        #expect(asff.Resources.map(\.Type) == ["AwsAccount"])
        #expect(asff.Resources[0].Region == "eu-west-1")
        #expect(asff.Severity.Label == "MEDIUM")
        #expect(asff.Types == ["Software and Configuration Checks/AWS Security Best Practices/CloudTrail"])
    }
}
