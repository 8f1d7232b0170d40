import Foundation
import TrailWardenAlarms
import TrailWardenCore
import TrailWardenState

/// One organization-wide scan result: what `scan --report` writes and the
/// terminal summary is drawn from. Documented in docs/scan.md.
public struct ScanReport: Sendable, Codable {
    public struct Finding: Sendable, Codable, Hashable {
        public var kind: String
        public var object: String
        public var message: String
    }

    public struct ChainReport: Sendable, Codable {
        public var trailARN: String
        public var chain: DigestChain
        public var rangeStart: String
        public var rangeEnd: String
        public var counts: ValidationTally
        public var findings: [Finding]
        public var error: String?
    }

    public struct AccountReport: Sendable, Codable {
        public var accountID: String
        public var chains: [ChainReport]
        /// Trail posture: validation disabled, logging stopped.
        public var postureFindings: [Finding]
        /// Why the account, or part of it, could not be scanned.
        public var errors: [String]

        init(accountID: String) {
            self.accountID = accountID
            chains = []
            postureFindings = []
            errors = []
        }

        /// What alarms say of the account: chains validated and errors met.
        var alarmFigures: AlarmNotice.AccountFigures {
            AlarmNotice.AccountFigures(accountID: accountID, chainsValidated: chains.filter { $0.error == nil }.count,
                                       errors: errors.count + chains.filter { $0.error != nil }.count)
        }
    }

    public struct Totals: Sendable, Codable, IntegrityCounts {
        public var accounts = 0
        public var chains = 0
        public var validDigests = 0
        public var invalidDigests = 0
        public var validLogs = 0
        public var invalidLogs = 0
        public var findings = 0
        public var errors = 0
    }

    public var schemaVersion = 1
    public var runID: Int64
    public var caller: String
    public var startedAt: String
    public var finishedAt: String
    public var accounts: [AccountReport]
    /// Accounts skipped because Organizations lists them as not ACTIVE (suspended or closing).
    public var skippedAccounts: [String]
    public var errors: [String]
    public var totals: Totals
    /// What each alarm target did after the scan (empty when none is configured).
    public var alarms: [AlarmOutcomeRecord] = []

    /// Recomputes the totals from the accounts.
    mutating func total() {
        var totals = Totals()
        totals.accounts = accounts.count
        for account in accounts {
            totals.findings += account.postureFindings.count
            totals.errors += account.errors.count
            for chain in account.chains {
                totals.addChain(chain.counts, errors: chain.error == nil ? 0 : 1)
                totals.findings += chain.findings.count
            }
        }
        totals.errors += errors.count
        self.totals = totals
    }

    public var hasFindings: Bool { totals.findings > 0 }
    /// Errors, or an alarm target that failed (its findings stay pending).
    public var hasErrors: Bool { totals.errors > 0 || alarms.contains { $0.status == AlarmOutcomeRecord.failed } }

    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// The readable summary printed at the end of a scan.
    public func text() -> String {
        var lines = ["TrailWarden scan \(runID) by \(caller), \(startedAt) to \(finishedAt)"]
        lines.append("\(totals.accounts) accounts, \(totals.chains) chains: \(totals.validDigests) digests valid, \(totals.invalidDigests) invalid; "
                     + "\(totals.validLogs) log files valid, \(totals.invalidLogs) invalid; \(totals.findings) findings, \(totals.errors) errors")
        for account in accounts.sorted(by: { $0.accountID < $1.accountID }) {
            let findings = account.postureFindings.count + account.chains.map(\.findings.count).reduce(0, +)
            lines.append("  \(account.accountID): \(account.chains.count) chains, \(findings) findings, \(account.errors.count) errors")
            for error in account.errors { lines.append("    ERROR: \(error)") }
            for finding in account.postureFindings { lines.append("    \(finding.message)") }
            for chain in account.chains {
                for finding in chain.findings { lines.append("    \(finding.message)") }
                if let error = chain.error { lines.append("    ERROR: \(chain.chain.trailName) \(chain.chain.sourceRegion): \(error)") }
            }
        }
        for skipped in skippedAccounts { lines.append("  \(skipped): skipped (not ACTIVE in Organizations)") }
        for error in errors { lines.append("  ERROR: \(error)") }
        for alarm in alarms {
            let detail = alarm.error.map { ": \($0)" } ?? ""
            lines.append("  alarm \(alarm.target): \(alarm.status), \(alarm.findings) findings, \(alarm.attempts) attempts\(detail)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
