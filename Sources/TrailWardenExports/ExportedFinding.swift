import Foundation
import TrailWardenVocabulary

/// One finding as every export takes it: its identity (chain, object, kind), what
/// the newest sighting said, and its history. Reports and alarm sinks each make
/// these from their own finding types, so the encoders never see the state.
public struct ExportedFinding: Sendable, Equatable {
    public var identity: FindingIdentity
    /// The reference-style line of the newest sighting.
    public var message: String
    public var firstSeen: Date
    public var lastSeen: Date
    public var status: FindingStatus
    /// When this version of the finding was written: a report's last sighting or
    /// resolution, an alarm's scan end. Security Hub keeps the newest `UpdatedAt`.
    public var updatedAt: Date

    /// Which scans vouch for it; nil where the producer cannot say.
    public var provenance: ExportProvenance?

    public init(identity: FindingIdentity, message: String, firstSeen: Date, lastSeen: Date, status: FindingStatus, updatedAt: Date,
                provenance: ExportProvenance? = nil) {
        self.identity = identity
        self.provenance = provenance
        self.message = message
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.status = status
        self.updatedAt = updatedAt
    }

    public var kind: FindingKind { identity.kind }

    /// The message as one readable line: the reference's tabs become spaces.
    public var readableMessage: String {
        message.isEmpty ? identity.object : message.replacingOccurrences(of: "\t", with: " ")
    }
}

/// Who made an export and from what, so that an auditor can trace a finding to the
/// scans behind it: the scanning identities, the configuration files' SHA-256 and
/// the run ids (TrailWarden's version is in every export already).
public struct ExportProvenance: Encodable, Sendable, Equatable {
    public var callers: [String]
    public var configurationSHA256: [String]
    public var runs: [Int64]

    public init(callers: [String], configurationSHA256: [String], runs: [Int64]) {
        self.callers = callers
        self.configurationSHA256 = configurationSHA256
        self.runs = runs
    }
}

/// The one JSON style of every export: sorted keys (two exports diff line by
/// line), slashes unescaped (ARNs and URLs stay readable), on one line.
enum ExportJSON {
    static func encode<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// `text` cut to at most `limit` characters, ending in "…" when cut: for fields AWS bounds.
    static func bounded(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
