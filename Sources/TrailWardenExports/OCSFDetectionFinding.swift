import Foundation
import TrailWardenVocabulary

/// A finding as an OCSF 1.1.0 Detection Finding event (class 2004, category 2
/// Findings): what Security Lake and OCSF-speaking SIEMs take (docs/reports.md#ocsf).
///
/// `finding_info.uid` is the stable `FindingIdentity.uid`; an open finding is
/// activity Create with status New, a resolved one activity Close with status
/// Resolved, so a consumer keeps the newest event per uid. Times are epoch milliseconds.
public struct OCSFDetectionFinding: Encodable, Sendable, Equatable {
    public static let schemaVersion = "1.1.0"
    public static let classUID = 2004
    public static let categoryUID = 2

    public var activity_id: Int
    public var activity_name: String
    public var category_uid = OCSFDetectionFinding.categoryUID
    public var category_name = "Findings"
    public var class_uid = OCSFDetectionFinding.classUID
    public var class_name = "Detection Finding"
    public var type_uid: Int
    public var type_name: String
    public var severity_id: Int
    public var severity: String
    public var status_id: Int
    public var status: String
    public var time: Int64
    public var message: String
    public var metadata: Metadata
    public var finding_info: FindingInfo
    public var resources: [Resource]
    public var cloud: Cloud
    public var remediation: Remediation
    /// OCSF's place for what its schema has no attribute for: the export's provenance.
    public var unmapped: Unmapped?

    public struct Metadata: Encodable, Sendable, Equatable {
        public var version = OCSFDetectionFinding.schemaVersion
        public var product = Product()
    }

    public struct Product: Encodable, Sendable, Equatable {
        public var name = "TrailWarden"
        public var vendor_name = "TrailWarden"
        public var version = TrailWardenVersion.current
    }

    public struct FindingInfo: Encodable, Sendable, Equatable {
        public var uid: String
        public var title: String
        public var desc: String
        public var types: [String]
        public var first_seen_time: Int64
        public var last_seen_time: Int64
        public var modified_time: Int64
        public var analytic: Analytic
    }

    /// The check that made the finding: its kind, as a rule.
    public struct Analytic: Encodable, Sendable, Equatable {
        public var uid: String
        public var name: String
        public var type_id = 1
        public var type = "Rule"
    }

    public struct Resource: Encodable, Sendable, Equatable {
        public var uid: String
        public var type: String
        public var cloud_partition: String
        public var region: String?
    }

    public struct Cloud: Encodable, Sendable, Equatable {
        public var provider = "AWS"
        public var region: String?
        public var account: Account
    }

    public struct Account: Encodable, Sendable, Equatable {
        public var uid: String
        public var type_id = 10
        public var type = "AWS Account"
    }

    public struct Remediation: Encodable, Sendable, Equatable {
        public var desc: String
    }

    public struct Unmapped: Encodable, Sendable, Equatable {
        public var trailwarden: ExportProvenance
    }

    public init(_ finding: ExportedFinding) {
        let identity = finding.identity
        let open = finding.status == .open
        activity_id = open ? 1 : 3
        activity_name = open ? "Create" : "Close"
        type_uid = Self.classUID * 100 + activity_id
        type_name = "Detection Finding: " + activity_name
        let severity = identity.kind.severity
        severity_id = severity.ocsfID
        self.severity = severity.ocsfCaption
        status_id = open ? 1 : 4
        status = open ? "New" : "Resolved"
        time = Self.milliseconds(finding.updatedAt)
        message = finding.readableMessage
        metadata = Metadata()
        unmapped = finding.provenance.map(Unmapped.init)
        finding_info = FindingInfo(uid: identity.uid, title: identity.kind.title, desc: finding.readableMessage,
                                   types: [identity.kind.category.rawValue], first_seen_time: Self.milliseconds(finding.firstSeen),
                                   last_seen_time: Self.milliseconds(finding.lastSeen), modified_time: Self.milliseconds(finding.updatedAt),
                                   analytic: Analytic(uid: identity.kind.rawValue, name: identity.kind.rawValue))
        let region = identity.region
        var resources = [Resource]()
        if let arn = identity.s3ObjectARN {
            resources.append(Resource(uid: arn, type: "AWS::S3::Object", cloud_partition: identity.partition, region: region))
        }
        if let trail = identity.trail {
            resources.append(Resource(uid: trail, type: "AWS::CloudTrail::Trail", cloud_partition: identity.partition, region: region))
        }
        resources.append(Resource(uid: identity.accountID, type: "AWS::::Account", cloud_partition: identity.partition, region: region))
        self.resources = resources
        cloud = Cloud(region: region, account: Account(uid: identity.accountID))
        remediation = Remediation(desc: identity.kind.remediation)
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    /// One event as one line of JSON, without the newline.
    public func json() throws -> String { try ExportJSON.encode(self) }
}
