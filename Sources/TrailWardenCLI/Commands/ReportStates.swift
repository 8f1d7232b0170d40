import Foundation
import TrailWardenAWS
import TrailWardenReports
import TrailWardenScan
import TrailWardenState

/// The states one report reads: local files, and states kept in S3 (one object, or every
/// shard's state under a prefix), downloaded to a private folder; or every state a template
/// names, local or in S3 (`StatePlace`). The shards of one scan
/// are checked for completeness: the newest shard layout wins, a state of an earlier layout
/// is left out (its accounts are in the newer shards), and a shard with no state or whose
/// last run did not finish is named in the report.
struct ReportStates {
    var stores: [SQLiteStateStore] = []
    var names: [String] = []
    private var folder: URL?

    static func open(_ values: [String], session: () throws -> AWSSession) async throws -> ReportStates {
        var states = ReportStates()
        do {
            for value in values {
                let place: StatePlace
                do {
                    place = try StatePlace(parsing: value)
                } catch {
                    throw UsageError("--state \(value): \(error)")
                }
                if place.namesEachShard {
                    try await states.addEvery(place, value: value, session: session)
                } else if let bucket = place.bucket {
                    try await states.download(RemoteStateLocation(bucket: bucket, key: place.template.description), session: try session())
                } else {
                    guard FileManager.default.fileExists(atPath: value) else { throw UsageError("--state \(value): no such state file") }
                    try states.add(value, name: value)
                }
            }
        } catch {
            await states.close()
            throw error
        }
        return states
    }

    /// Every shard's state that a prefix or a template names, of every layout (`checkShards` keeps the newest).
    private mutating func addEvery(_ place: StatePlace, value: String, session: () throws -> AWSSession) async throws {
        var aws: AWSSession?
        let found: [StatePlace.Found]
        do {
            // Asked once, and only for S3: the downloads use the same session.
            found = try await place.states {
                let session = try session()
                aws = session
                return S3Client(transport: session.transport, region: session.region)
            }
        } catch {
            let message = "--state \(value): cannot list the states: \(error)"
            throw place.bucket == nil ? UsageError(message) : ServiceError(message)
        }
        guard !found.isEmpty else {
            let message = "--state \(value): no state \(value.hasSuffix("/") ? "under this prefix" : "that this template names")"
            throw place.bucket == nil ? UsageError(message) : ServiceError(message)
        }
        for state in found {
            if let location = state.location, let aws {
                try await download(location, session: aws)
            } else {
                try add(state.name, name: state.name)
            }
        }
    }

    private mutating func add(_ path: String, name: String) throws {
        do {
            stores.append(try SQLiteStateStore(path: path))
        } catch {
            throw UsageError(String(describing: error))
        }
        names.append(name)
    }

    /// One state kept in S3, downloaded to the report's private folder.
    private mutating func download(_ location: RemoteStateLocation, session: AWSSession) async throws {
        let client = S3Client(transport: session.transport, region: session.region)
        let folder = try self.folder ?? {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("trailwarden-report-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return folder
        }()
        self.folder = folder
        let path = folder.appendingPathComponent("\(stores.count).sqlite").path
        guard try await RemoteState.download(location, client: client, to: path) != nil else {
            throw ServiceError("--state \(location): no such object")
        }
        try add(path, name: location.description)
    }

    /// Leaves out the states of an earlier shard layout (saying so on `warn`) and returns the shards the report lacks.
    mutating func checkShards(warn: (String) -> Void) async throws -> [ComplianceReport.UnreportedShard] {
        var latest = [(run: RunSummary, shard: ShardAssignment)?]()
        for store in stores {
            let run = try await store.runs().last
            latest.append(run.flatMap { run in ShardRecord.shard(of: run).map { (run, $0) } })
        }
        guard let newest = latest.compactMap({ $0 }).max(by: { $0.run.startedAt < $1.run.startedAt }) else { return [] }
        let count = newest.shard.count
        var kept = [(run: RunSummary, shard: ShardAssignment)]()
        for index in stores.indices.reversed() {
            guard let entry = latest[index], entry.shard.count == count else {
                warn("\(names[index]): left out, not a shard of the newest layout (\(count) shards)")
                await stores[index].close()
                stores.remove(at: index)
                names.remove(at: index)
                continue
            }
            kept.append(entry)
        }
        var gaps = [ComplianceReport.UnreportedShard]()
        for index in 0..<count {
            let shard = "\(index)/\(count)"
            guard let entry = kept.filter({ $0.shard.index == index }).max(by: { $0.run.startedAt < $1.run.startedAt }) else {
                gaps.append(.init(shard: shard, request: newest.run.request, reason: "no state among those given: its accounts are not in this report"))
                continue
            }
            let scanID = ShardRecord.request(of: entry.run).scanID, newestScanID = ShardRecord.request(of: newest.run).scanID
            if let newestScanID, scanID != newestScanID {
                gaps.append(.init(shard: shard, request: entry.run.request,
                                     reason: "its last run (run \(entry.run.id)) is of scan \(scanID ?? "without an id"), not of the newest scan \(newestScanID)"))
            } else if ![.complete, .incomplete].contains(entry.run.status) {
                gaps.append(.init(shard: shard, request: entry.run.request, reason: "its last run (run \(entry.run.id)) is \(entry.run.status.rawValue): its accounts may be partly checked"))
            }
        }
        return gaps
    }

    func close() async {
        for store in stores { await store.close() }
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }
}

/// What a run recorded of its shard, for `ReportStates.checkShards`.
enum ShardRecord {
    /// The shard a run recorded in what it was asked (`scan --shard`), nil for an unsharded run.
    static func shard(of run: RunSummary) -> ShardAssignment? {
        request(of: run).shard.flatMap { try? ShardAssignment(parsing: $0) }
    }

    /// The shard and scan id in a run's request, as `scan` records them.
    static func request(of run: RunSummary) -> (shard: String?, scanID: String?) {
        let object = (try? JSONSerialization.jsonObject(with: Data(run.request.utf8))) as? [String: Any]
        return (object?["shard"] as? String, object?["scanId"] as? String)
    }
}
