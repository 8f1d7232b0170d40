import Foundation
import TrailWardenVocabulary

/// A problem seen by one run in one chain, as handed to the store (and written by the scan's
/// JSON report): no history yet, which `StoredFinding` adds.
///
/// (chain, kind, object) identifies it across runs, so `object` must be the S3 key or time it
/// concerns; `message` is free text and may change between runs.
public struct RecordedFinding: Sendable, Equatable, Codable {
    public var kind: FindingKind
    public var object: String
    public var message: String

    public init(kind: FindingKind, object: String, message: String) {
        self.kind = kind
        self.object = object
        self.message = message
    }

    /// The "kind object" key: what identifies the finding within its chain.
    public var key: String { findingKey(kind: kind, object: object) }
}

/// The "kind object" key of a finding within its chain.
public func findingKey(kind: FindingKind, object: String) -> String { kind.rawValue + " " + object }
