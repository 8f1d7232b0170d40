import Foundation
import TrailWardenVocabulary

/// What one scan announces: the findings no earlier notice carried to this
/// target, and the scan's per-account figures for metrics.
///
/// Grouped per scan so a tampered night is one message, not thousands.
public struct AlarmNotice: Sendable, Equatable {
    public var runID: Int64
    /// Who ran the scan (an ARN, or "archive PATH").
    public var caller: String
    public var finishedAt: Date
    /// A marked test message from `trailwarden alarm test`: nothing is wrong.
    public var isTest: Bool
    /// The findings to announce, oldest first.
    public var findings: [AlarmFinding]
    /// Every account the scan covered, with its figures (including accounts with nothing new).
    public var accounts: [AccountFigures]
    /// Scan-wide errors not tied to an account (e.g. organization discovery failed).
    public var scanErrors: Int

    public init(runID: Int64, caller: String, finishedAt: Date, isTest: Bool = false, findings: [AlarmFinding],
                accounts: [AccountFigures], scanErrors: Int = 0) {
        self.runID = runID
        self.caller = caller
        self.finishedAt = finishedAt
        self.isTest = isTest
        self.findings = findings
        self.accounts = accounts
        self.scanErrors = scanErrors
    }

    /// Per account figures of the scan itself (not of the findings); encoded as a webhook's
    /// `accounts[]` documents them.
    public struct AccountFigures: Sendable, Equatable, Codable {
        public var accountID: String
        public var chainsValidated: Int
        /// Account errors plus chain errors.
        public var errors: Int

        public init(accountID: String, chainsValidated: Int, errors: Int) {
            self.accountID = accountID
            self.chainsValidated = chainsValidated
            self.errors = errors
        }

        enum CodingKeys: String, CodingKey {
            case accountID = "accountId", chainsValidated, errors
        }
    }
}

/// One finding as announced.
public struct AlarmFinding: Sendable, Equatable {
    public var accountID: String
    /// The trail's ARN, for chain and posture findings alike.
    public var trailARN: String
    /// The chain's source region; nil for posture findings.
    public var region: String?
    public var kind: FindingKind
    public var object: String
    /// The reference-style line.
    public var message: String
    public var firstSeen: Date
    /// When a run last saw it; nil when not known (then `firstSeen`).
    public var lastSeen: Date?
    /// Open, or resolved when it was resolved before any notice reached this target.
    public var status: FindingStatus

    public var category: FindingCategory { kind.category }

    public init(accountID: String, trailARN: String, region: String?, kind: FindingKind, object: String, message: String,
                firstSeen: Date, status: FindingStatus, lastSeen: Date? = nil) {
        self.accountID = accountID
        self.trailARN = trailARN
        self.region = region
        self.kind = kind
        self.object = object
        self.message = message
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.status = status
    }
}
