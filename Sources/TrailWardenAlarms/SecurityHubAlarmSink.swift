import Foundation
import TrailWardenAWS
import TrailWardenExports
import TrailWardenVocabulary

/// Imports findings into AWS Security Hub as ASFF with BatchImportFindings.
///
/// Two targets per configured hub, each with its own exactly-once record in the
/// state: `securityhub:PRODUCT@REGION` imports every new finding (as it stands:
/// ACTIVE, or ARCHIVED when already resolved), and `securityhub-resolved:…` takes
/// findings only once TrailWarden resolves them and imports them again as
/// ARCHIVED, which Security Hub shows as Workflow RESOLVED. Re-importing the same
/// stable `Id` updates a finding, so a retried delivery never duplicates one.
///
/// Findings are imported into the scanner's own account (STS GetCallerIdentity)
/// under `productArn`, or that account's default product; the account a finding
/// is about is in its `Resources` (see `ASFFDestination`). Findings Security Hub
/// refuses are imported again twice, then the delivery fails naming them.
public struct SecurityHubAlarmSink: AlarmSink {
    /// Which findings the target imports.
    public enum Announcement: Sendable {
        /// Every finding, as it stands.
        case findings
        /// Resolved findings only, each once.
        case resolutions
    }

    public let client: SecurityHubClient
    /// Nil: the scanner account's default product.
    public let productArn: String?
    public let announcement: Announcement
    /// The account findings are imported into: the scanner's own.
    public let importingAccount: @Sendable () async throws -> String

    public init(client: SecurityHubClient, productArn: String?, announcement: Announcement,
                importingAccount: @escaping @Sendable () async throws -> String) {
        self.client = client
        self.productArn = productArn
        self.announcement = announcement
        self.importingAccount = importingAccount
    }

    public var target: String {
        (announcement == .findings ? "securityhub:" : "securityhub-resolved:") + (productArn ?? "default") + "@" + client.region
    }

    public func takes(_ finding: AlarmFinding) -> Bool { announcement == .findings || finding.status == .resolved }

    public func deliver(_ notice: AlarmNotice) async throws {
        try await AlarmDeliveryError.naming(target) {
            let destination = ASFFDestination(accountID: try await importingAccount(), region: client.region, productArn: productArn)
            let findings = notice.isTest
                ? [ASFFFinding.test(destination: destination, at: notice.finishedAt)]
                : notice.findings.filter(takes).map { ASFFFinding($0.exported(in: notice), destination: destination) }
            let documents = try findings.map { (id: $0.Id, json: try $0.json()) }
            let refused = try await RefusedItems.send(documents) { batch in
                try await client.batchImportFindings(batch.map(\.json)).map { failure in
                    guard let index = batch.firstIndex(where: { $0.id == failure.id }) else {
                        throw AlarmDeliveryError(target: target, reason: "Security Hub refused a finding it was not sent: \(failure)")
                    }
                    return (index: index, reason: failure.description)
                }
            }
            guard refused.isEmpty else { throw AlarmDeliveryError(target: target, reason: RefusedItems.summary(refused, of: "findings")) }
        }
    }
}
