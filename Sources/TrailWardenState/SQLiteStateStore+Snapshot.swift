import Foundation

extension SQLiteStateStore {
    /// Writes a consistent copy of the whole state, as one self-contained file at `path`
    /// (no write-ahead log beside it), between two of the store's transactions: what a
    /// state kept elsewhere (in S3) uploads. An existing file at `path` is replaced.
    public func snapshot(to path: String) throws {
        if FileManager.default.fileExists(atPath: path) {
            do {
                try FileManager.default.removeItem(atPath: path)
            } catch {
                throw StateError(.invalid, path: self.path, detail: "cannot replace the snapshot \(path): \(error.localizedDescription)")
            }
        }
        try database.run("VACUUM INTO ?", [.text(path)])
    }
}
