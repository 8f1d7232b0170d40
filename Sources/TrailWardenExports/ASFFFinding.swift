import Foundation
import TrailWardenVocabulary

/// A finding in the AWS Security Finding Format, as Security Hub's
/// BatchImportFindings takes it (schema 2018-10-08; docs/reports.md#asff).
///
/// `Id` is the stable `FindingIdentity.uid`, so importing the same finding again
/// (a later scan, another shard, the resolution) updates it rather than adding one.
/// A resolved finding is `RecordState` ARCHIVED, which Security Hub turns into
/// `Workflow.Status` RESOLVED for a finding it already holds; a new one says so itself.
public struct ASFFFinding: Encodable, Sendable, Equatable {
    public var SchemaVersion = "2018-10-08"
    public var Id: String
    public var ProductArn: String
    public var ProductName = "TrailWarden"
    public var CompanyName = "TrailWarden"
    public var GeneratorId: String
    public var AwsAccountId: String
    public var Region: String
    public var Types: [String]
    public var CreatedAt: String
    public var UpdatedAt: String
    public var FirstObservedAt: String
    public var LastObservedAt: String
    public var Severity: SeverityField
    public var Title: String
    public var Description: String
    public var Remediation: RemediationField
    public var ProductFields: [String: String]
    public var Resources: [Resource]
    public var RecordState: String
    public var Workflow: WorkflowField

    public struct SeverityField: Encodable, Sendable, Equatable {
        public var Label: String
        public var Normalized: Int
        /// The finding's kind, which the severity is derived from.
        public var Original: String
    }

    public struct RemediationField: Encodable, Sendable, Equatable {
        public var Recommendation: Recommendation
    }

    public struct Recommendation: Encodable, Sendable, Equatable {
        public var Text: String
    }

    public struct Resource: Encodable, Sendable, Equatable {
        public var `Type`: String
        public var Id: String
        public var Partition: String
        public var Region: String
    }

    public struct WorkflowField: Encodable, Sendable, Equatable {
        public var Status: String
    }

    /// `finding` as the Security Hub of `destination` takes it.
    public init(_ finding: ExportedFinding, destination: ASFFDestination) {
        let identity = finding.identity
        let region = identity.region ?? destination.region
        Id = identity.uid
        ProductArn = destination.productArn
        GeneratorId = "trailwarden/" + identity.kind.rawValue
        AwsAccountId = destination.accountID
        Region = destination.region
        Types = Self.types(of: identity.kind)
        CreatedAt = CloudTrailTime.display(finding.firstSeen)
        UpdatedAt = CloudTrailTime.display(finding.updatedAt)
        FirstObservedAt = CloudTrailTime.display(finding.firstSeen)
        LastObservedAt = CloudTrailTime.display(finding.lastSeen)
        let severity = identity.kind.severity
        Severity = SeverityField(Label: severity.asffLabel, Normalized: severity.asffNormalized, Original: identity.kind.rawValue)
        Title = ExportJSON.bounded(identity.kind.title, 256)
        Description = ExportJSON.bounded(finding.readableMessage, 1024)
        Remediation = RemediationField(Recommendation: Recommendation(Text: ExportJSON.bounded(identity.kind.remediation, 512)))
        ProductFields = [
            "trailwarden/accountId": identity.accountID,
            "trailwarden/kind": identity.kind.rawValue,
            "trailwarden/category": identity.kind.category.rawValue,
            "trailwarden/object": ExportJSON.bounded(identity.object, 2048),
            "trailwarden/status": finding.status.rawValue,
            "trailwarden/remediation": ExportJSON.bounded(identity.kind.remediation, 2048),
            "trailwarden/version": TrailWardenVersion.current,
        ]
        if let provenance = finding.provenance {
            ProductFields["trailwarden/callers"] = ExportJSON.bounded(provenance.callers.joined(separator: " "), 2048)
            ProductFields["trailwarden/configurationSHA256"] = ExportJSON.bounded(provenance.configurationSHA256.joined(separator: " "), 2048)
            ProductFields["trailwarden/runs"] = ExportJSON.bounded(provenance.runs.map(String.init).joined(separator: " "), 2048)
        }
        var resources = [Resource]()
        if let arn = identity.s3ObjectARN {
            resources.append(Resource(Type: "AwsS3Object", Id: arn, Partition: identity.partition, Region: region))
        }
        if let trail = identity.trail {
            resources.append(Resource(Type: "AwsCloudTrailTrail", Id: trail, Partition: identity.partition, Region: region))
        }
        resources.append(Resource(Type: "AwsAccount", Id: "AWS::::Account:" + identity.accountID, Partition: identity.partition, Region: region))
        Resources = resources
        RecordState = finding.status == .open ? "ACTIVE" : "ARCHIVED"
        Workflow = WorkflowField(Status: finding.status == .open ? "NEW" : "RESOLVED")
    }

    /// ASFF's `namespace/category/classifier`: tampering is defense evasion; a
    /// trail's setup or a delivery gap is a configuration check.
    static func types(of kind: FindingKind) -> [String] {
        kind.category == .posture || kind == .digestsStale
            ? ["Software and Configuration Checks/AWS Security Best Practices/CloudTrail"]
            : ["TTPs/Defense Evasion/CloudTrail Log Tampering"]
    }

    /// One finding as a JSON object.
    public func json() throws -> String { try ExportJSON.encode(self) }
}

/// Whose Security Hub takes the findings: the account that imports them, its
/// region, and the product they are imported under.
///
/// With the account's default product, Security Hub accepts only findings whose
/// `AwsAccountId` is the importing account, so the finding's own account (a member
/// account) is named in `Resources` and `ProductFields` instead.
public struct ASFFDestination: Sendable, Equatable {
    public var accountID: String
    public var region: String
    public var productArn: String

    public init(accountID: String, region: String, productArn: String? = nil) {
        self.accountID = accountID
        self.region = region
        self.productArn = productArn ?? Self.defaultProductArn(accountID: accountID, region: region)
    }

    /// `arn:PARTITION:securityhub:REGION:ACCOUNT:product/ACCOUNT/default`: every account's own product.
    public static func defaultProductArn(accountID: String, region: String) -> String {
        "arn:\(AWSPartition.of(region: region)):securityhub:\(region):\(accountID):product/\(accountID)/default"
    }
}
