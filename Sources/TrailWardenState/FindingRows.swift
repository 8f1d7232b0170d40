import Foundation
import TrailWardenCore
import TrailWardenVocabulary

/// Reads and writes rows of `findings`: chain findings (chain_id set) and trail
/// findings (chain_id NULL, object = the trail ARN), each identified by its own
/// partial unique index.
enum FindingRows {
    /// Opens a finding or refreshes it (last seen advances, a resolved one reopens); returns its id.
    static func upsert(_ finding: RecordedFinding, account: String, chainID: Int64?, run: Int64, at: Date,
                       in database: SQLiteDatabase) throws -> Int64 {
        let conflict = chainID == nil ? "(account_id, kind, object) WHERE chain_id IS NULL" : "(chain_id, kind, object) WHERE chain_id IS NOT NULL"
        return try database.query("""
            INSERT INTO findings (account_id, chain_id, kind, object, message, first_seen_run, first_seen_at_ms,
                                  last_seen_run, last_seen_at_ms, status)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6, ?7, 'open')
            ON CONFLICT \(conflict) DO UPDATE SET message = excluded.message,
                last_seen_run = excluded.last_seen_run, last_seen_at_ms = excluded.last_seen_at_ms,
                status = 'open', resolved_run = NULL, resolved_at_ms = NULL
            RETURNING id
            """, [.text(account), .optionalInteger(chainID), .text(finding.kind.rawValue), .text(finding.object), .text(finding.message),
                  .integer(run), .integer(at.epochMilliseconds)]) { $0.integer(0) }[0]
    }

    static func resolve(_ finding: Int64, run: Int64, at: Date, in database: SQLiteDatabase) throws {
        try database.run("UPDATE findings SET status = 'resolved', resolved_run = ?, resolved_at_ms = ? WHERE id = ?",
                         [.integer(run), .integer(at.epochMilliseconds), .integer(finding)])
    }

    /// The findings matching `filter` (a WHERE clause over alias f), with their chain and trail.
    static func select(_ filter: String, _ binds: [SQLiteValue], orderBy: String = "f.account_id, f.chain_id, f.kind, f.object",
                       in database: SQLiteDatabase) throws -> [StoredFinding] {
        try database.query("""
            SELECT \(ChainRows.columns("c")), f.id, f.account_id, f.chain_id, f.kind, f.object, f.message,
                   f.first_seen_run, f.first_seen_at_ms, f.last_seen_run, f.last_seen_at_ms, f.status, f.resolved_at_ms,
                   COALESCE((SELECT r.trail_arn FROM chain_results r WHERE r.chain_id = f.chain_id ORDER BY r.run_id DESC LIMIT 1), f.object)
            FROM findings f LEFT JOIN chains c ON c.id = f.chain_id \(filter)
            ORDER BY \(orderBy)
            """, binds) { row in
            StoredFinding(id: row.integer(7), accountID: row.text(8), chain: row.isNull(9) ? nil : ChainRows.chain(row),
                          trailARN: row.text(19), kind: FindingKind(rawValue: row.text(10)), object: row.text(11), message: row.text(12),
                          firstSeenRun: row.integer(13), firstSeenAt: Date(epochMilliseconds: row.integer(14)),
                          lastSeenRun: row.integer(15), lastSeenAt: Date(epochMilliseconds: row.integer(16)),
                          status: try stored(FindingStatus.self, row.text(17), in: database), resolvedAt: row.optionalInteger(18).map(Date.init(epochMilliseconds:)))
        }
    }
}
