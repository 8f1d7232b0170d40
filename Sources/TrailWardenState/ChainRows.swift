import TrailWardenCore

/// Maps a `DigestChain` to its row in `chains`. nil prefix and organization are stored as ''
/// so the seven-column UNIQUE key matches them (SQLite's NULLs never equal each other).
enum ChainRows {
    /// The seven identity columns of `chains`, qualified by `alias`, in `chain(_:)` order.
    static func columns(_ alias: String) -> String {
        ["bucket", "prefix", "organization_id", "account_id", "trail_name", "home_region", "source_region"]
            .map { "\(alias).\($0)" }.joined(separator: ", ")
    }

    static func key(_ chain: DigestChain) -> [SQLiteValue] {
        [chain.bucket, chain.prefix ?? "", chain.organizationID ?? "", chain.accountID, chain.trailName,
         chain.homeRegion, chain.sourceRegion].map(SQLiteValue.text)
    }

    static func id(of chain: DigestChain, in database: SQLiteDatabase) throws -> Int64? {
        try database.query("""
            SELECT id FROM chains WHERE bucket = ? AND prefix = ? AND organization_id = ? AND account_id = ?
                AND trail_name = ? AND home_region = ? AND source_region = ?
            """, key(chain)) { $0.integer(0) }.first
    }

    /// The chain's id, inserting the chain first if it is new.
    static func ensure(_ chain: DigestChain, in database: SQLiteDatabase) throws -> Int64 {
        try database.run("""
            INSERT INTO chains (bucket, prefix, organization_id, account_id, trail_name, home_region, source_region)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """, key(chain))
        guard let id = try id(of: chain, in: database) else {
            throw StateError(.invalid, path: database.path, detail: "chain \(chain) was not stored")
        }
        return id
    }

    /// The chain in columns 0…6 of the current row.
    static func chain(_ row: SQLiteStatement) -> DigestChain {
        let prefix = row.text(1)
        let organization = row.text(2)
        return DigestChain(bucket: row.text(0), prefix: prefix.isEmpty ? nil : prefix,
                           organizationID: organization.isEmpty ? nil : organization, accountID: row.text(3),
                           trailName: row.text(4), homeRegion: row.text(5), sourceRegion: row.text(6))
    }
}
