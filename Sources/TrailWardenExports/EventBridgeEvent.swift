import Foundation
import TrailWardenVocabulary

/// An event for EventBridge's PutEvents, so that rules route findings and scans
/// to SNS, Lambda, Step Functions or a ticketing system (docs/operations.md#eventbridge).
///
/// Source `trailwarden`. A finding is detail-type `CloudTrail Integrity Finding`
/// with the OCSF Detection Finding as its detail; a scan is `TrailWarden Scan
/// Completed` with its figures; `trailwarden alarm test` sends `TrailWarden Alarm Test`.
public struct EventBridgeEvent: Sendable, Equatable {
    public static let source = "trailwarden"
    public static let findingDetailType = "CloudTrail Integrity Finding"
    public static let scanDetailType = "TrailWarden Scan Completed"
    public static let testDetailType = "TrailWarden Alarm Test"

    public var detailType: String
    /// A JSON object, as PutEvents takes it.
    public var detail: String
    /// ARNs the event concerns: what rules match `resources` on.
    public var resources: [String]
    public var time: Date

    /// The event for one finding.
    public init(finding: ExportedFinding) throws {
        detailType = Self.findingDetailType
        detail = try OCSFDetectionFinding(finding).json()
        resources = [finding.identity.s3ObjectARN, finding.identity.trail].compactMap { $0 }
        time = finding.updatedAt
    }

    /// The event that ends a scan's announcements (or a test's, with `scan.test`).
    public init(scan: ScanSummary) throws {
        detailType = scan.test ? Self.testDetailType : Self.scanDetailType
        detail = try ExportJSON.encode(scan)
        resources = []
        time = scan.finishedAt
    }

    /// A scan's figures, as the `TrailWarden Scan Completed` detail.
    public struct ScanSummary: Encodable, Sendable, Equatable {
        public var runId: Int64
        public var test: Bool
        public var caller: String
        public var finishedAt: Date
        /// New findings announced with this scan, per category (every category, zeros included).
        public var newFindings: [String: Int]
        public var accounts: Int
        public var chainsValidated: Int
        public var errors: Int
        public var version = TrailWardenVersion.current

        public init(runId: Int64, test: Bool, caller: String, finishedAt: Date, newFindings: [FindingCategory: Int],
                    accounts: Int, chainsValidated: Int, errors: Int) {
            self.runId = runId
            self.test = test
            self.caller = caller
            self.finishedAt = finishedAt
            self.newFindings = Dictionary(uniqueKeysWithValues: FindingCategory.allCases.map { ($0.rawValue, newFindings[$0, default: 0]) })
            self.accounts = accounts
            self.chainsValidated = chainsValidated
            self.errors = errors
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(runId, forKey: .runId)
            try container.encode(test, forKey: .test)
            try container.encode(caller, forKey: .caller)
            try container.encode(CloudTrailTime.display(finishedAt), forKey: .finishedAt)
            try container.encode(newFindings, forKey: .newFindings)
            try container.encode(accounts, forKey: .accounts)
            try container.encode(chainsValidated, forKey: .chainsValidated)
            try container.encode(errors, forKey: .errors)
            try container.encode(version, forKey: .version)
        }

        enum CodingKeys: String, CodingKey {
            case runId, test, caller, finishedAt, newFindings, accounts, chainsValidated, errors, version
        }
    }
}
