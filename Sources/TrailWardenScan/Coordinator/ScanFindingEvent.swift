import TrailWardenState
import TrailWardenVocabulary

/// A finding as the scan announces it while it runs (the coordinator's `finding:`
/// callback): the recorded finding with the chain it belongs to, so that a log line
/// can carry the same stable id and severity that the exports carry.
public struct ScanFindingEvent: Sendable, Equatable {
    public var finding: RecordedFinding
    /// Who, where and what: the fields the stable id is derived from.
    public var identity: FindingIdentity

    public init(finding: RecordedFinding, identity: FindingIdentity) {
        self.finding = finding
        self.identity = identity
    }

    /// A chain's finding: the chain's account, trail and source region.
    init(_ finding: RecordedFinding, of chain: ChainResult) {
        self.init(finding: finding, identity: FindingIdentity(accountID: chain.chain.accountID, trailARN: chain.trailARN,
                                                               sourceRegion: chain.chain.sourceRegion, kind: finding.kind,
                                                               object: finding.object))
    }

    /// A posture finding, with the id the exports give it (`FindingIdentity.posture`).
    init(posture finding: RecordedFinding, accountID: String) {
        self.init(finding: finding, identity: .posture(accountID: accountID, kind: finding.kind, object: finding.object))
    }

    /// The stable id (`FindingIdentity.uid`).
    public var id: String { identity.uid }
    public var severity: FindingSeverity { finding.kind.severity }
}
