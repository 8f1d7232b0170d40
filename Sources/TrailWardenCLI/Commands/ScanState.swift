import Foundation
import TrailWardenAWS
import TrailWardenScan
import TrailWardenState

/// The state a scan records into: a local SQLite file, or the working copy of a state kept
/// in S3 (`--state s3://…`), whose uploads and lease `RemoteState` handles; opened with what a
/// resized shard imports from the previous states (`PreviousStates`), before the run begins.
struct ScanState {
    static let options: [OptionSpec] = [
        .single("upload-every", "CHAINS", "With --state s3://…: upload the state after every CHAINS recorded chains (default: \(RemoteState.defaultUploadEvery)), and at the end."),
        .single("lease-seconds", "SECONDS", "With --state s3://…: how long the state's lease lasts unless renewed (default: \(Int(RemoteState.defaultLeaseDuration)))."),
        .single("previous-states", "s3://BUCKET/PREFIX/|PATH",
                "Import the history of this shard's accounts that the state lacks from these states (a prefix, an object, a folder or a file; default with a new --state s3://…/PREFIX/: the other layouts' states under PREFIX)."),
    ]

    let sqlite: SQLiteStateStore
    /// What the coordinator records into.
    let store: any StateStore
    let remote: RemoteState?
    /// What was imported from previous states, one line per state (recorded with the run).
    var imported: [String] = []

    /// Opens `text` (a path, or an s3:// URL taken with a lease and downloaded); `session` is asked only for S3.
    static func open(_ text: String, shard: ShardAssignment?, scanID: String?, arguments: ParsedArguments,
                     session: () throws -> AWSSession) async throws -> ScanState {
        if let previous = arguments.value("previous-states"), RemoteStateLocation.isRemote(previous) {
            do {
                _ = try RemoteStateLocation(parsing: previous, shard: nil)
            } catch {
                throw UsageError("--previous-states \(previous): \(error)")
            }
        }
        guard RemoteStateLocation.isRemote(text) else {
            if arguments.has("upload-every") || arguments.has("lease-seconds") {
                throw UsageError("--upload-every and --lease-seconds go with a state in S3 (--state s3://BUCKET/KEY)")
            }
            let sqlite = try openLocal(text)
            var state = ScanState(sqlite: sqlite, store: sqlite, remote: nil)
            if let previous = arguments.value("previous-states") {
                do {
                    try await state.importPrevious(previous, own: text, shard: shard, session: session)
                } catch {
                    await sqlite.close()
                    throw error
                }
            }
            return state
        }
        let location: RemoteStateLocation
        do {
            location = try RemoteStateLocation(parsing: text, shard: shard)
        } catch {
            throw UsageError("--state \(text): \(error)")
        }
        let uploadEvery = try arguments.integer("upload-every", default: RemoteState.defaultUploadEvery, range: 1...1_000_000)
        let lease = try arguments.integer("lease-seconds", default: Int(RemoteState.defaultLeaseDuration), range: 1...86_400)
        let aws = try session()
        let remote = try await RemoteState.open(location, client: S3Client(transport: aws.transport, region: aws.region),
                                                owner: owner(scanID: scanID, shard: shard), uploadEvery: uploadEvery,
                                                leaseDuration: TimeInterval(lease))
        let sqlite: SQLiteStateStore
        do {
            sqlite = try openLocal(remote.localPath)
        } catch {
            await remote.release()
            throw UsageError("--state \(location) (downloaded to \(remote.localPath)): \(error)")
        }
        var state = ScanState(sqlite: sqlite, store: UploadingStateStore(local: sqlite, remote: remote), remote: remote)
        do {
            // A new state under a prefix is a new shard layout (or the first scan): it takes its accounts from the others there.
            if let previous = arguments.value("previous-states") ?? (remote.isNew && text.hasSuffix("/") ? text : nil) {
                try await state.importPrevious(previous, own: location.description, shard: shard, session: session)
            } else if text.hasSuffix("/") {
                try await PreviousStates.checkCurrent(location, prefix: text, shard: shard, client: S3Client(transport: aws.transport, region: aws.region))
            }
        } catch {
            await sqlite.close()
            await remote.release()
            throw error
        }
        return state
    }

    /// Imports from `previous` what the state lacks of the shard's accounts, before the run begins.
    private mutating func importPrevious(_ previous: String, own: String, shard: ShardAssignment?, session: () throws -> AWSSession) async throws {
        let states = try await PreviousStates.locate(previous, own: own, shard: shard) {
            let aws = try session()
            return S3Client(transport: aws.transport, region: aws.region)
        }
        imported = try await states.importing(into: sqlite, shard: shard)
    }

    private static func openLocal(_ path: String) throws(UsageError) -> SQLiteStateStore {
        do {
            return try SQLiteStateStore(path: path)
        } catch {
            throw UsageError(String(describing: error))
        }
    }

    /// Who holds the lease, for the operator who finds it held: the host (a pod's name), the process, the scan and shard.
    static func owner(scanID: String?, shard: ShardAssignment?) -> String {
        var parts = ["\(ProcessInfo.processInfo.hostName) pid \(getpid())"]
        if let scanID { parts.append("scan \(scanID)") }
        if let shard { parts.append("shard \(shard)") }
        return parts.joined(separator: ", ") + " (\(UUID().uuidString.prefix(8)))"
    }

    /// Runs the scan; a state in S3 is uploaded at the end (or, after a failure, as far as the lease allows).
    func recording<T>(_ scan: () async throws -> T) async throws -> T {
        guard let remote else { return try await scan() }
        let result: T
        do {
            result = try await scan()
        } catch {
            await remote.abandon(sqlite)
            throw error
        }
        try await remote.finish(sqlite)
        return result
    }
}
