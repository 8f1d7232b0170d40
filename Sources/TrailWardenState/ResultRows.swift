import Foundation
import TrailWardenCore
import TrailWardenVocabulary

/// Reads rows of `chain_results` with their chain and, when asked, the findings each saw.
enum ResultRows {
    static func select(_ filter: String, _ binds: [SQLiteValue], withFindingKeys: Bool = true,
                       in database: SQLiteDatabase) throws -> [StoredChainResult] {
        let results = try database.query("""
            SELECT \(ChainRows.columns("c")), r.chain_id, r.trail_arn, r.range_start_ms, r.range_end_ms, r.tally,
                   r.error, r.recorded_at_ms, r.run_id
            FROM chain_results r JOIN chains c ON c.id = r.chain_id \(filter) ORDER BY r.chain_id, r.run_id
            """, binds) { row in
            (chainID: row.integer(7), tally: row.text(11), result: StoredChainResult(
                run: row.integer(14), chain: ChainRows.chain(row), trailARN: row.text(8),
                rangeStart: Date(epochMilliseconds: row.integer(9)), rangeEnd: Date(epochMilliseconds: row.integer(10)),
                tally: ValidationTally(), error: row.optionalText(12),
                recordedAt: Date(epochMilliseconds: row.integer(13)), findingKeys: []))
        }
        return try results.map { entry in
            var result = entry.result
            result.tally = try StoredJSON.decode(ValidationTally.self, entry.tally, path: database.path)
            guard withFindingKeys else { return result }
            result.findingKeys = try database.query("""
                SELECT f.kind, f.object FROM chain_result_findings rf JOIN findings f ON f.id = rf.finding_id
                WHERE rf.run_id = ? AND rf.chain_id = ?
                """, [.integer(result.run), .integer(entry.chainID)]) { findingKey(kind: FindingKind(rawValue: $0.text(0)), object: $0.text(1)) }.sorted()
            return result
        }
    }
}
