import Foundation
import TrailWardenVocabulary

/// What one run learned about one account besides its chains: the posture of the
/// account's own trails and the errors that kept parts of it from being scanned.
public struct AccountResult: Sendable {
    public var accountID: String
    /// Findings about the account's trails (`object` is the trail ARN) and its regions
    /// (`region-uncovered`, `object` is `ACCOUNT/REGION`).
    public var postureFindings: [RecordedFinding]
    public var errors: [String]
    /// True when every trail of the account was described and its status read, so
    /// posture findings not seen now are resolved.
    public var postureComplete: Bool
    /// True when the coverage of every enabled region was judged (every account of the
    /// scan discovered), so coverage findings (`region-…`) not seen now are resolved.
    public var coverageComplete: Bool

    public init(accountID: String, postureFindings: [RecordedFinding], errors: [String], postureComplete: Bool, coverageComplete: Bool = false) {
        self.accountID = accountID
        self.postureFindings = postureFindings
        self.errors = errors
        self.postureComplete = postureComplete
        self.coverageComplete = coverageComplete
    }

    /// Whether this result can resolve an open account finding of `kind` it did not see.
    func resolves(kind: FindingKind) -> Bool {
        kind.rawValue.hasPrefix("region-") ? postureComplete && coverageComplete : postureComplete
    }
}
