import Foundation
import Testing
import TrailWardenVocabulary
import TrailWardenAWS
import TrailWardenCore
import TrailWardenState
import TrailWardenTestSupport
@testable import TrailWardenScan

/// Organization discovery through the scan, against the emulator: ListAccounts over
/// several pages (20 accounts a page, as AWS answers), suspended accounts skipped and
/// listed, and accounts that joined since the last scan picked up by the next one.
@Suite(.serialized) struct OrganizationDiscoveryTests {
    @Test func everyActiveAccountOverSeveralPagesIsScannedAndNewOnesJoin() async throws {
        let management = String(UInt64.random(in: 200_000_000_000...800_000_000_000))
        let credentials = try await Emulator.credentials(for: management)
        _ = try Emulator.admin(["create-organization"], as: credentials)
        let created = try #require((try Emulator.admin(["create-accounts", "member", "24"], as: credentials) as? [String: Any])?["Ids"] as? [String])
        let closed = created[0]
        _ = try Emulator.admin(["close-account", closed], as: credentials)

        let plan = ScanPlan(discoverAccounts: true, organizationRole: RoleTarget(roleARN: "arn:aws:iam::\(management):role/OrganizationReader"),
                            role: { RoleTarget(roleARN: "arn:aws:iam::\($0):role/TrailWardenAudit") }, regions: ["us-east-1"],
                            accountsInParallel: 8)
        let state = try SQLiteStateStore(path: FileManager.default.temporaryDirectory.appendingPathComponent("tw-org-\(UUID().uuidString).sqlite").path)
        let first = try await ScanCoordinator(plan: plan, source: try ScanCoordinatorTests.source(), state: state).run(request: "{}")
        let active = Set(created.dropFirst() + [management])
        #expect(active.count == 24)
        #expect(Set(first.accounts.map(\.accountID)) == active)
        #expect(first.skippedAccounts == [closed])
        #expect(first.text().contains("  \(closed): skipped (not ACTIVE in Organizations)"))
        #expect(!first.hasErrors)
        // No trail anywhere: each account's region is uncovered, and named once per account.
        #expect(first.accounts.allSatisfy { $0.postureFindings.map(\.object) == ["\($0.accountID)/us-east-1"] })

        // An account that joined since: the next scan enters it too.
        let joined = try #require((try Emulator.admin(["create-account", "joined"], as: credentials) as? [String: Any])?["Id"] as? String)
        let second = try await ScanCoordinator(plan: plan, source: try ScanCoordinatorTests.source(), state: state).run(request: "{}")
        #expect(Set(second.accounts.map(\.accountID)) == active.union([joined]))
        #expect(second.accounts.first { $0.accountID == joined }?.postureFindings.map(\.kind) == [FindingKind.regionUncovered])
        #expect(second.skippedAccounts == [closed] && !second.hasErrors)
    }
}
