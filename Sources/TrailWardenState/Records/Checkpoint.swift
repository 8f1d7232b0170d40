import Foundation

/// Where a chain's next scan resumes: the newest digest validated so far.
///
/// Signature and SHA-256 are kept so the next scan can check that the first digest it
/// reads links back to exactly this one, not merely to a digest with the same key.
public struct Checkpoint: Sendable, Equatable, Codable {
    public var digestKey: String
    public var digestEndTime: Date
    public var signature: String
    public var sha256: String

    public init(digestKey: String, digestEndTime: Date, signature: String, sha256: String) {
        self.digestKey = digestKey
        self.digestEndTime = digestEndTime
        self.signature = signature
        self.sha256 = sha256
    }
}
