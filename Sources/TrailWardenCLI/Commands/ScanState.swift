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
        .single("previous-states", "LOCATION",
                "Import the history of this shard's accounts that the state lacks from these states (a prefix, a template, an object, a folder or a file; default with a new state of a --state prefix/ or template: the other layouts' states it names)."),
    ]

    let sqlite: SQLiteStateStore
    /// What the coordinator records into.
    let store: any StateStore
    let remote: RemoteState?
    /// What was imported from previous states, one line per state (recorded with the run).
    var imported: [String] = []

    /// Opens `text` (a path or an s3:// URL, either a template, [StatePlace]; an s3:// state is taken
    /// with a lease and downloaded); `session` is asked only for S3.
    static func open(_ text: String, shard: ShardAssignment?, scanID: String?, arguments: ParsedArguments,
                     session: () throws -> AWSSession) async throws -> ScanState {
        let name: String, place: StatePlace
        do {
            place = try StatePlace(parsing: text)
            name = try place.name(for: shard)
        } catch {
            throw UsageError("--state \(text): \(error)")
        }
        if let previous = arguments.value("previous-states") {
            do {
                _ = try StatePlace(parsing: previous)
            } catch {
                throw UsageError("--previous-states \(previous): \(error)")
            }
        }
        // Where the other layouts' states are found: a prefix, or a template that names the count.
        let layouts = place.namesEachShard && place.template.namesCount ? text : nil
        func client() throws -> S3Client {
            let aws = try session()
            return S3Client(transport: aws.transport, region: aws.region)
        }
        guard let bucket = place.bucket else {
            if arguments.has("upload-every") || arguments.has("lease-seconds") {
                throw UsageError("--upload-every and --lease-seconds go with a state in S3 (--state s3://BUCKET/KEY)")
            }
            // Listed before the state is opened, which may touch its file.
            let listed = layouts == nil ? [] : try await PreviousStates.list(text, client: client)
            let sqlite = try openLocal(name)
            var state = ScanState(sqlite: sqlite, store: sqlite, remote: nil)
            do {
                // A state with no run yet is new: one whose import failed, or was cut short, tries again.
                let isNew = try await sqlite.runs().isEmpty
                try await state.prepare(own: name, isNew: isNew, layouts: layouts, listed: listed, shard: shard, arguments: arguments, client: client)
            } catch {
                await sqlite.close()
                throw error
            }
            return state
        }
        let location = RemoteStateLocation(bucket: bucket, key: try place.template.name(for: shard))
        let uploadEvery = try arguments.integer("upload-every", default: RemoteState.defaultUploadEvery, range: 1...1_000_000)
        let lease = try arguments.integer("lease-seconds", default: Int(RemoteState.defaultLeaseDuration), range: 1...86_400)
        let remote = try await RemoteState.open(location, client: try client(), owner: owner(scanID: scanID, shard: shard),
                                                uploadEvery: uploadEvery, leaseDuration: TimeInterval(lease))
        let sqlite: SQLiteStateStore
        do {
            sqlite = try openLocal(remote.localPath)
        } catch {
            await remote.release()
            throw UsageError("--state \(location) (downloaded to \(remote.localPath)): \(error)")
        }
        var state = ScanState(sqlite: sqlite, store: UploadingStateStore(local: sqlite, remote: remote), remote: remote)
        do {
            let listed = layouts == nil ? [] : try await PreviousStates.list(text, client: client)
            try await state.prepare(own: name, isNew: remote.isNew, layouts: layouts, listed: listed, shard: shard, arguments: arguments, client: client)
        } catch {
            await sqlite.close()
            await remote.release()
            throw error
        }
        return state
    }

    /// Before the run begins: a new state of a layout that `layouts` names takes its accounts from
    /// the other layouts' states (or `--previous-states`); an existing one is refused when it is stale
    /// (another layout's state is newer) or of another shard than this one.
    private mutating func prepare(own: String, isNew: Bool, layouts: String?, listed: [StatePlace.Found], shard: ShardAssignment?,
                                  arguments: ParsedArguments, client: () throws -> S3Client) async throws {
        if !isNew, let shard, let last = try await sqlite.runs().last, let recorded = ShardRecord.shard(of: last), recorded != shard {
            throw PreviousStateError("\(own) is the state of shard \(recorded) (its last run, run \(last.id)), not of shard \(shard): "
                + "name each shard's state per layout (a prefix/, or {shard}, or {index} and {count} in a template), or move the state away")
        }
        if let previous = arguments.value("previous-states") ?? (isNew ? layouts : nil) {
            let states = try await PreviousStates.locate(previous, own: own, shard: shard, client: client)
            imported = try await states.importing(into: sqlite, shard: shard)
        } else if let layouts {
            try PreviousStates.checkCurrent(own, among: listed, place: layouts, shard: shard)
        }
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
