import Foundation
import TrailWardenAWS
import TrailWardenState
import TrailWardenVocabulary

/// A scan state kept in S3, for tasks without a disk that outlives them: the task takes the
/// state's lease, downloads the state to a private working copy, scans against the copy, and
/// uploads it with `If-Match` on the ETag it last read or wrote (`If-None-Match: *` for a new
/// state) every `uploadEvery` recorded chains and at the end. A task killed at any point leaves
/// the last uploaded state intact, and the rerun resumes from it; a lost race or a lost lease
/// is an error, never a silent overwrite.
public actor RemoteState {
    /// Defaults documented in docs/state.md.
    public static let defaultUploadEvery = 50
    public static let defaultLeaseDuration: TimeInterval = 600
    /// The largest state downloaded (it is held in memory while it is written to the working copy).
    public static let downloadLimit = 2 << 30

    public nonisolated let location: RemoteStateLocation
    /// The working copy the scan opens.
    public nonisolated let localPath: String
    /// Whether there was no state object yet (a new shard layout takes its accounts from the previous states).
    public nonisolated let isNew: Bool
    let client: S3Client
    let lease: StateLease
    let folder: URL
    let uploadEvery: Int
    private var etag: String?
    private var chainsSinceUpload = 0
    private var uploadsPending = 0
    private var lastUpload: Task<Void, any Error>?
    private var renewal: Task<Void, Never>?
    private var renewalFailure: (any Error)?

    /// Takes the lease and downloads the state (none yet: the scan creates it).
    public static func open(_ location: RemoteStateLocation, client: S3Client, owner: String, uploadEvery: Int = defaultUploadEvery,
                            leaseDuration: TimeInterval = defaultLeaseDuration,
                            now: @escaping @Sendable () -> Date = { Date() }) async throws -> RemoteState {
        let lease = try await StateLease.acquire(client: client, location: location.lease, owner: owner, duration: leaseDuration, now: now)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("trailwarden-state-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let localPath = folder.appendingPathComponent("state.sqlite").path
            let etag = try await download(location, client: client, to: localPath)
            let state = RemoteState(location: location, client: client, lease: lease, folder: folder, localPath: localPath,
                                    uploadEvery: uploadEvery, etag: etag)
            await state.startRenewing(every: leaseDuration / 3)
            return state
        } catch {
            try? await lease.release()
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }

    private init(location: RemoteStateLocation, client: S3Client, lease: StateLease, folder: URL, localPath: String, uploadEvery: Int, etag: String?) {
        self.location = location
        self.client = client
        self.lease = lease
        self.folder = folder
        self.localPath = localPath
        self.uploadEvery = max(uploadEvery, 1)
        self.etag = etag
        isNew = etag == nil
    }

    /// Writes the object to `path` and returns its ETag; nil when there is no state yet.
    /// The ETag is read first: if the object changes before the body is read, the first upload's `If-Match` fails.
    public static func download(_ location: RemoteStateLocation, client: S3Client, to path: String) async throws -> String? {
        guard let etag = try await client.headObjectETag(bucket: location.bucket, key: location.key) else { return nil }
        var collector = BodyCollector(limit: downloadLimit, subject: location.description)
        _ = try await client.getObject(bucket: location.bucket, key: location.key, into: &collector)
        guard FileManager.default.createFile(atPath: path, contents: Data(collector.bytes)) else {
            throw RemoteStateError(.usage, "cannot write the working copy of \(location) at \(path)")
        }
        return etag
    }

    private func startRenewing(every interval: TimeInterval) {
        renewal = Task { [lease] in
            while !Task.isCancelled {
                do {
                    try await Task.sleep(nanoseconds: UInt64(max(interval, 0.1) * 1e9))
                    try await lease.renew()
                } catch is CancellationError {
                    return
                } catch {
                    self.renewalFailed(error)
                    return
                }
            }
        }
    }

    private func renewalFailed(_ error: any Error) { renewalFailure = error }

    /// Called after each recorded chain: uploads every `uploadEvery` chains (one upload at a time).
    func chainRecorded(_ store: SQLiteStateStore) async throws {
        chainsSinceUpload += 1
        guard chainsSinceUpload >= uploadEvery, uploadsPending == 0 else { return }
        try await upload(store)
    }

    /// Uploads a snapshot of the working copy, if the lease still holds and the object is still
    /// the one last seen; after any upload already under way, never beside it.
    public func upload(_ store: SQLiteStateStore) async throws {
        let previous = lastUpload
        uploadsPending += 1
        let upload = Task {
            defer { self.uploadsPending -= 1 }
            _ = await previous?.result
            try await self.uploadNow(store)
        }
        lastUpload = upload
        try await upload.value
    }

    private func uploadNow(_ store: SQLiteStateStore) async throws {
        if let renewalFailure { throw renewalFailure }
        chainsSinceUpload = 0
        let snapshot = folder.appendingPathComponent("upload.sqlite").path
        try await store.snapshot(to: snapshot)
        guard let body = FileManager.default.contents(atPath: snapshot) else {
            throw RemoteStateError(.usage, "cannot read the snapshot \(snapshot) of \(location)")
        }
        try await lease.renew()
        do {
            etag = try await client.putObject(bucket: location.bucket, key: location.key, body: Array(body), if: etag.map { .matches($0) } ?? .absent)
        } catch let error where S3Client.isConditionFailure(error) {
            throw RemoteStateError(.raceLost, "\(location) was changed by another task since this one read it; this task's results were not uploaded")
        }
    }

    /// The final upload; then the lease is given up and the working copy removed (the open store keeps reading it).
    public func finish(_ store: SQLiteStateStore) async throws {
        defer { discard() }
        try await upload(store)
        renewal?.cancel()
        try await lease.release()
    }

    /// After a failed or interrupted scan: uploads what was recorded if the lease still allows
    /// (even when the task was cancelled), then stops, leaving the lease to expire.
    public func abandon(_ store: SQLiteStateStore) async {
        defer { discard() }
        await Task { try? await self.upload(store) }.value
    }

    /// Gives the lease up without uploading (the scan did not start).
    public func release() async {
        defer { discard() }
        try? await lease.release()
    }

    private func discard() {
        renewal?.cancel()
        try? FileManager.default.removeItem(at: folder)
    }
}
