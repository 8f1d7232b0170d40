import Foundation
import TrailWardenExports
import TrailWardenVocabulary

extension AlarmFinding {
    /// The finding's stable identity: the same one reports export (`FindingIdentity`).
    public var identity: FindingIdentity {
        FindingIdentity(accountID: accountID, trailARN: trailARN, sourceRegion: region, kind: kind, object: object)
    }

    /// The finding as the exports take it, written at the end of the scan that announces
    /// it, with that scan's caller and run (a notice does not carry the configuration's hash).
    func exported(in notice: AlarmNotice) -> ExportedFinding {
        ExportedFinding(identity: identity, message: message, firstSeen: firstSeen, lastSeen: lastSeen ?? firstSeen, status: status,
                        updatedAt: max(notice.finishedAt, lastSeen ?? firstSeen),
                        provenance: ExportProvenance(callers: [notice.caller], configurationSHA256: [], runs: [notice.runID]))
    }
}

/// Sends items to a service that answers per item, and sends the refused ones
/// again: Security Hub and EventBridge refuse single findings or events (throttled,
/// an internal failure) in an answer that is otherwise a success.
enum RefusedItems {
    /// Sends `items`, then only those refused, at most `attempts` times in all; returns
    /// the reasons of those still refused. `send` returns, per refused item, its index
    /// in what it was given and why.
    static func send<Item: Sendable>(_ items: [Item], attempts: Int = 3,
                                     _ send: ([Item]) async throws -> [(index: Int, reason: String)]) async throws -> [String] {
        var remaining = items
        var reasons = [String]()
        for _ in 0..<attempts where !remaining.isEmpty {
            let refused = try await send(remaining)
            remaining = refused.map { remaining[$0.index] }
            reasons = refused.map(\.reason)
        }
        return remaining.isEmpty ? [] : reasons
    }

    /// "2 refused: A; B", naming at most three.
    static func summary(_ reasons: [String], of what: String) -> String {
        let named = reasons.prefix(3).joined(separator: "; ")
        return "\(reasons.count) \(what) refused: \(named)" + (reasons.count > 3 ? "; …" : "")
    }
}
