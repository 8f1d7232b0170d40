/// Why scan state could not be opened, read or written.
///
/// Every message is one line and names the state file, because the operator who sees it
/// usually runs several scans against several state files and needs to know which one.
public struct StateError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, for callers that react differently (e.g. exit codes).
    public enum Kind: Sendable, Equatable {
        /// Another process (or another store in this process) holds the state file's lock.
        case locked
        /// The database was migrated by a newer TrailWarden than this one.
        case newerSchema(database: Int, binary: Int)
        /// A migration failed to apply; nothing of it was kept.
        case migrationFailed(file: String)
        /// SQLite reported an error.
        case sqlite(code: Int32)
        /// The lock file could not be created or locked for a reason other than contention.
        case lockFile(errno: Int32)
        /// A request or the stored data does not make sense (unknown run, unreadable tally…).
        case invalid
        /// The store was closed.
        case closed
    }

    public let kind: Kind
    /// The state (database) file.
    public let path: String
    public let detail: String

    init(_ kind: Kind, path: String, detail: String) {
        self.kind = kind
        self.path = path
        self.detail = detail
    }

    public var description: String {
        let line = "state file \(path): \(detail)"
        return line.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
