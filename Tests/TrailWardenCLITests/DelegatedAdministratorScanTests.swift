import Foundation
import Testing
import TrailWardenAWS
import TrailWardenState
import TrailWardenTestSupport
import TrailWardenVocabulary

/// `trailwarden scan` listing the organization through a delegated administrator, as AWS
/// allows (organizations:RegisterDelegatedAdministrator), against the emulator: named as
/// `organization.managementAccountId`, or as the account the scanner itself runs in. A member
/// account that is not a delegated administrator is refused, and the scan stops (exit 3)
/// having resolved nothing.
@Suite(.serialized) struct DelegatedAdministratorScanTests {
    /// An organization of 23 accounts (two pages of ListAccounts), one suspended, one
    /// delegated administrator for CloudTrail, and no trail anywhere.
    struct Organization {
        var management: String
        var delegated: String
        var member: String
        var suspended: String
        var active: Set<String>
        var folder: URL
        var state: String { folder.appendingPathComponent("state.sqlite").path }
    }

    static func organization() async throws -> Organization {
        let management = String(UInt64.random(in: 200_000_000_000...800_000_000_000))
        let credentials = try await Emulator.credentials(for: management)
        _ = try Emulator.admin(["create-organization"], as: credentials)
        let created = try #require((try Emulator.admin(["create-accounts", "delegated", "22"], as: credentials) as? [String: Any])?["Ids"] as? [String])
        _ = try Emulator.admin(["close-account", created[0]], as: credentials)
        _ = try Emulator.admin(["register-delegated-administrator", created[1]], as: credentials)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tw-delegated-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return Organization(management: management, delegated: created[1], member: created[2], suspended: created[0],
                            active: Set(created.dropFirst() + [management]), folder: folder)
    }

    /// A configuration listing accounts from `listFrom` through its OrganizationReader role, or with the scanner's own credentials.
    static func configuration(_ organization: Organization, listFrom: String?) throws -> String {
        let path = organization.folder.appendingPathComponent("accounts-\(listFrom ?? "caller").json").path
        let listing = listFrom.map { #"{"managementAccountId": "\#($0)", "role": "OrganizationReader"}"# } ?? "{}"
        try Data("""
        {
          "organization": \(listing),
          "roles": { "default": "TrailWardenAudit" },
          "regions": ["us-east-1"],
          "state": "\(organization.state)"
        }
        """.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Scans as `scanner` (the emulator's default account when nil) and returns the run.
    static func scan(_ configuration: String, as scanner: String?) async throws -> ProcessResult {
        var credentials = Emulator.defaultCredentials
        if let scanner { credentials = try await Emulator.credentials(for: scanner) }
        return try Processes.run(Processes.trailwarden, ["scan", "--config", configuration, "--format", "json", "--quiet"],
                                 environment: try Emulator.environment(credentials))
    }

    /// Every active account scanned, the suspended one skipped and listed, nothing else wrong:
    /// with no trail, each account's one configured region is uncovered (exit 1).
    static func expectEveryAccount(_ run: ProcessResult, _ organization: Organization) throws {
        #expect(run.code == 1, "\(run.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        let accounts = try #require(report["accounts"] as? [[String: Any]])
        #expect(Set(accounts.compactMap { $0["accountID"] as? String }) == organization.active)
        #expect(organization.active.count == 22)
        #expect(report["skippedAccounts"] as? [String] == [organization.suspended])
        #expect((report["errors"] as? [String])?.isEmpty == true)
        #expect(accounts.allSatisfy { ($0["errors"] as? [String])?.isEmpty == true })
        #expect(accounts.allSatisfy { account in
            (account["postureFindings"] as? [[String: Any]])?.compactMap { $0["object"] as? String } == ["\(account["accountID"] as? String ?? "")/us-east-1"]
        })
    }

    @Test func aDelegatedAdministratorNamedAsTheManagementAccountListsEveryAccount() async throws {
        let organization = try await Self.organization()
        defer { try? FileManager.default.removeItem(at: organization.folder) }
        let run = try await Self.scan(try Self.configuration(organization, listFrom: organization.delegated), as: nil)
        try Self.expectEveryAccount(run, organization)
    }

    @Test func aScannerRunningInTheDelegatedAdministratorListsEveryAccount() async throws {
        let organization = try await Self.organization()
        defer { try? FileManager.default.removeItem(at: organization.folder) }
        let run = try await Self.scan(try Self.configuration(organization, listFrom: nil), as: organization.delegated)
        try Self.expectEveryAccount(run, organization)
    }

    @Test func aMemberThatIsNotADelegatedAdministratorIsRefusedAndResolvesNothing() async throws {
        let organization = try await Self.organization()
        defer { try? FileManager.default.removeItem(at: organization.folder) }
        try Self.expectEveryAccount(try await Self.scan(try Self.configuration(organization, listFrom: organization.delegated), as: nil), organization)
        let opened = try await SQLiteStateStore(path: organization.state).findings(chain: nil)
        #expect(opened.count == 22 && opened.allSatisfy { $0.status == .open })

        // Named as the management account, and as the account the scanner runs in.
        let named = try await Self.scan(try Self.configuration(organization, listFrom: organization.member), as: nil)
        let caller = try await Self.scan(try Self.configuration(organization, listFrom: nil), as: organization.member)
        for (run, how) in [(named, "as arn:aws:iam::\(organization.member):role/OrganizationReader"), (caller, "with the scanner's own credentials")] {
            #expect(run.code == 3, "\(run.standardError)")
            #expect(run.standardOutput.isEmpty)
            let lines = run.standardError.split(separator: "\n")
            #expect(lines.count == 1, "\(run.standardError)")
            #expect(run.standardError.hasPrefix("trailwarden scan: error: Organizations ListAccounts \(how): AccessDeniedException: "))
            #expect(run.standardError.contains("only the organization's management account or a delegated administrator may list its accounts"))
        }
        // Nothing resolved, nothing new: the same findings, still open; both runs recorded as failed.
        let state = try SQLiteStateStore(path: organization.state)
        let after = try await state.findings(chain: nil)
        #expect(Set(after.map(\.object)) == Set(opened.map(\.object)) && after.allSatisfy { $0.status == .open })
        let runs = try await state.runs().sorted { $0.id < $1.id }
        #expect(runs.map(\.status) == [.complete, .failed, .failed])
        #expect(runs.dropFirst().allSatisfy { $0.errors?.first?.contains("AccessDeniedException") == true })
    }
}
