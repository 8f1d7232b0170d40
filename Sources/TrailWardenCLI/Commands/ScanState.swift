import Foundation
import TrailWardenAWS
import TrailWardenScan
import TrailWardenState

/// The state a scan records into: a local SQLite file, or the working copy of a state kept
/// in S3 (`--state s3://…`), whose uploads and lease `RemoteState` handles.
struct ScanState {
    static let options: [OptionSpec] = [
        .single("upload-every", "CHAINS", "With --state s3://…: upload the state after every CHAINS recorded chains (default: \(RemoteState.defaultUploadEvery)), and at the end."),
        .single("lease-seconds", "SECONDS", "With --state s3://…: how long the state's lease lasts unless renewed (default: \(Int(RemoteState.defaultLeaseDuration)))."),
    ]

    let sqlite: SQLiteStateStore
    /// What the coordinator records into.
    let store: any StateStore
    let remote: RemoteState?

    /// Opens `text` (a path, or an s3:// URL taken with a lease and downloaded); `session` is asked only for S3.
    static func open(_ text: String, shard: ShardAssignment?, scanID: String?, arguments: ParsedArguments,
                     session: () throws -> AWSSession) async throws -> ScanState {
        guard RemoteStateLocation.isRemote(text) else {
            if arguments.has("upload-every") || arguments.has("lease-seconds") {
                throw UsageError("--upload-every and --lease-seconds go with a state in S3 (--state s3://BUCKET/KEY)")
            }
            let sqlite = try openLocal(text)
            return ScanState(sqlite: sqlite, store: sqlite, remote: nil)
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
        do {
            let sqlite = try openLocal(remote.localPath)
            return ScanState(sqlite: sqlite, store: UploadingStateStore(local: sqlite, remote: remote), remote: remote)
        } catch {
            await remote.release()
            throw UsageError("--state \(location) (downloaded to \(remote.localPath)): \(error)")
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
