import Foundation
import TrailWardenAlarms
import TrailWardenCore
import TrailWardenState
import TrailWardenVocabulary

/// One organization-wide scan result: what `scan --report` writes and the
/// terminal summary is drawn from. Documented in docs/scan.md.
public struct ScanReport: Sendable, Encodable {
    public struct AccountReport: Sendable, Encodable {
        public var accountID: String
        /// Its chains, in the order they were validated: what the state recorded of each.
        public var chains: [ChainResult]
        /// Trail posture: validation disabled, logging stopped.
        public var postureFindings: [RecordedFinding]
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

        enum CodingKeys: String, CodingKey { case accountID, chains, postureFindings, errors }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(accountID, forKey: .accountID)
            try container.encode(chains.map(ChainEntry.init), forKey: .chains)
            try container.encode(postureFindings, forKey: .postureFindings)
            try container.encode(errors, forKey: .errors)
        }
    }

    /// A chain as the JSON report writes it (docs/scan.md): the range in display time, the tally as `counts`.
    struct ChainEntry: Encodable {
        var trailARN: String
        var chain: DigestChain
        var rangeStart: String
        var rangeEnd: String
        var counts: ValidationTally
        var findings: [RecordedFinding]
        var error: String?
        /// Present (true) only for a chain that never delivered a digest.
        var undelivered: Bool?

        init(_ result: ChainResult) {
            trailARN = result.trailARN
            chain = result.chain
            rangeStart = CloudTrailTime.display(result.rangeStart)
            rangeEnd = CloudTrailTime.display(result.rangeEnd)
            counts = result.tally
            findings = result.findings
            error = result.error
            undelivered = result.undelivered ? true : nil
        }
    }

    public var schemaVersion = 1
    /// The build that ran the scan.
    public var trailwardenVersion = TrailWardenVersion.current
    public var runID: Int64
    /// Who ran it: the ARN GetCallerIdentity returned, or "archive PATH".
    public var caller: String
    /// SHA-256 of the configuration file's bytes; absent when the scan was given none.
    public var configurationSHA256: String?
    public var startedAt: String
    public var finishedAt: String
    public var accounts: [AccountReport]
    /// Accounts skipped because Organizations lists them as not ACTIVE (suspended or closing).
    public var skippedAccounts: [String]
    public var errors: [String]
    public var totals: RunTotals
    /// Findings of the scanned accounts still open in the state after this run, seen now or
    /// by an earlier run: what keeps the exit code at 1 until they are resolved.
    public var openFindings = 0
    /// What each alarm target did after the scan (empty when none is configured).
    public var alarms: [AlarmOutcomeRecord] = []

    /// Recomputes the totals from the accounts.
    mutating func total() {
        var totals = RunTotals()
        totals.accounts = accounts.count
        for account in accounts {
            totals.findings += account.postureFindings.count
            totals.errors += account.errors.count
            for chain in account.chains {
                totals.addChain(chain.tally, errors: chain.error == nil ? 0 : 1)
                totals.findings += chain.findings.count
            }
        }
        totals.errors += errors.count
        self.totals = totals
    }

    /// Exit code 1: this run saw a finding, or one is still open (docs/scan.md#exit-codes).
    public var hasFindings: Bool { totals.findings > 0 || openFindings > 0 }
    /// Errors, or an alarm target that failed (its findings stay pending).
    public var hasErrors: Bool { totals.errors > 0 || alarms.contains { $0.status == .failed } }

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
        if openFindings > 0 { lines.append("  \(openFindings) findings open in the state (seen by this run or an earlier one, not yet resolved)") }
        for account in accounts.sorted(by: { $0.accountID < $1.accountID }) {
            let findings = account.postureFindings.count + account.chains.map(\.findings.count).reduce(0, +)
            lines.append("  \(account.accountID): \(account.chains.count) chains, \(findings) findings, \(account.errors.count) errors")
            for error in account.errors { lines.append("    ERROR: \(error)") }
            for finding in account.postureFindings { lines.append("    \(finding.message)") }
            for chain in account.chains {
                for finding in chain.findings { lines.append("    \(finding.message)") }
                if let error = chain.error { lines.append("    ERROR: \(chain.chain.trailName) \(chain.chain.sourceRegion): \(error)") }
                if chain.undelivered { lines.append("    never delivered: \(chain.chain.trailName) s3://\(chain.chain.bucket)/\(chain.chain.digestFolder)") }
            }
        }
        for skipped in skippedAccounts { lines.append("  \(skipped): skipped (not ACTIVE in Organizations)") }
        for error in errors { lines.append("  ERROR: \(error)") }
        for alarm in alarms {
            let detail = alarm.error.map { ": \($0)" } ?? ""
            lines.append("  alarm \(alarm.target): \(alarm.status.rawValue), \(alarm.findings) findings, \(alarm.attempts) attempts\(detail)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
