import Foundation
import TrailWardenAWS
import TrailWardenState

/// The states a shard's new state takes its accounts' history from when the shard count
/// changed: after a resize, each account's new shard imports the account's chains, checkpoints,
/// results, coverage, findings and alarm deliveries from the newest earlier state that holds it,
/// so nothing already checked is read again, nothing already announced is announced again, and
/// the new layout's states alone report the whole history (docs/state.md#resizing-a-sharded-scan).
///
/// Why read-only copies: another state is never written and its lease never taken (its own
/// shard may still be running); each one is downloaded or copied to a private folder, and
/// migrated there. A state that cannot be read is an error naming it, never taken as empty.
public struct PreviousStates: Sendable {
    /// One state to read: its name for messages, and how to get a private copy of it.
    public struct Candidate: Sendable {
        public var name: String
        var fetch: @Sendable (_ path: String) async throws -> Void
    }

    public let candidates: [Candidate]

    /// `text`: `s3://bucket/prefix/` or a template (every state it names, [StatePlace]), `s3://bucket/key`,
    /// a local folder (its `*.sqlite` files) or a local state file. `own` (the state being written) and
    /// the other shards of `shard`'s own layout are left out.
    public static func locate(_ text: String, own: String, shard: ShardAssignment?, client: () throws -> S3Client) async throws -> PreviousStates {
        let place: StatePlace
        do {
            place = try StatePlace(parsing: text)
        } catch {
            throw PreviousStateError("--previous-states \(text): \(error)")
        }
        var found = [(name: String, location: RemoteStateLocation?)]()
        if place.namesEachShard {
            do {
                found = try await place.states(client: client).filter { !sameLayout($0.named, as: shard) }.map { ($0.name, $0.location) }
            } catch {
                throw PreviousStateError("previous states \(text): cannot list them: \(error)")
            }
        } else if let bucket = place.bucket {
            found = [(text, RemoteStateLocation(bucket: bucket, key: place.template.description))]
        } else {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: text, isDirectory: &isFolder) else {
                throw PreviousStateError("previous state \(text): no such file or folder")
            }
            found = [(text, nil)]
            if isFolder.boolValue {
                let names: [String]
                do {
                    names = try FileManager.default.contentsOfDirectory(atPath: text)
                } catch {
                    throw PreviousStateError("previous states \(text): cannot list the folder: \(error.localizedDescription)")
                }
                found = names.filter { name in name.hasSuffix(".sqlite") && !(StateTemplate.prefix("").match(name).map { sameLayout($0, as: shard) } ?? false) }
                    .sorted().map { (URL(fileURLWithPath: text).appendingPathComponent($0).path, nil) }
            }
        }
        var candidates = [Candidate](), s3: S3Client?
        for (name, location) in found where !isSame(name, own) {
            if let location {
                let client = try s3 ?? client()
                s3 = client
                candidates.append(Candidate(name: name) { path in
                    guard try await RemoteState.download(location, client: client, to: path) != nil else {
                        throw PreviousStateError("previous state \(location): no such object")
                    }
                })
            } else {
                candidates.append(Candidate(name: name) { path in try copy(name, to: path) })
            }
        }
        return PreviousStates(candidates: candidates)
    }

    /// Whether two state names (`s3://…` or paths) are the same state.
    static func isSame(_ name: String, _ other: String) -> Bool {
        guard !RemoteStateLocation.isRemote(name) else { return name == other }
        return URL(fileURLWithPath: name).standardizedFileURL.path == URL(fileURLWithPath: other).standardizedFileURL.path
    }

    /// The states `place` (a prefix or a template) names, every shard's of every layout.
    public static func list(_ place: String, client: () throws -> S3Client) async throws -> [StatePlace.Found] {
        do {
            return try await StatePlace(parsing: place).states(client: client)
        } catch {
            throw PreviousStateError("previous states \(place): cannot list them: \(error)")
        }
    }

    /// Refuses to resume from `own`, an existing state among those `place` names (`listed`, read before
    /// `own` was opened), when a state of another layout there was written after it: `own` is then a stale
    /// state of an earlier layout (the scan went back to a COUNT it used before), whose accounts' newer record
    /// is in the other layout's states. Resuming would rescan from old checkpoints, announce again
    /// what the other layout announced, and leave its history out of the report.
    public static func checkCurrent(_ own: String, among listed: [StatePlace.Found], place: String, shard: ShardAssignment?) throws {
        guard let written = listed.first(where: { isSame($0.name, own) })?.written else { return }
        let newer = listed.filter { entry in
            !isSame(entry.name, own) && !sameLayout(entry.named, as: shard) && (entry.written.map { $0 > written } ?? false)
        }
        guard let newest = newer.max(by: { ($0.written ?? .distantPast) < ($1.written ?? .distantPast) }) else { return }
        let layout = shard.map { "\($0.count) shards" } ?? "the unsharded scan"
        throw PreviousStateError("\(own) is a stale state of an earlier layout: \(newest.name) (another layout) was written after it; "
            + "delete the states of \(layout) that \(place) names (this shard then imports its accounts from the newest), or use another --state")
    }

    /// Whether a state is of `shard`'s own layout (another shard's accounts, never this one's).
    static func sameLayout(_ named: StateTemplate.Named, as shard: ShardAssignment?) -> Bool {
        guard let shard else { return false }
        return named.shard?.count == shard.count
    }

    /// A local state and the write-ahead log a crashed scan may have left beside it.
    static func copy(_ file: String, to path: String) throws {
        do {
            try FileManager.default.copyItem(atPath: file, toPath: path)
            if FileManager.default.fileExists(atPath: file + "-wal") {
                try FileManager.default.copyItem(atPath: file + "-wal", toPath: path + "-wal")
            }
        } catch {
            throw PreviousStateError("previous state \(file): cannot be read: \(error.localizedDescription)")
        }
    }

    /// Imports into `store`, for each account `shard` owns (every account when unsharded) that
    /// `store` does not hold yet, the account's history from the candidate whose newest run
    /// is the newest among those holding it. Returns one line per state imported from.
    public func importing(into store: SQLiteStateStore, shard: ShardAssignment?) async throws -> [String] {
        guard !candidates.isEmpty else { return [] }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("trailwarden-previous-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw PreviousStateError("cannot create a folder for the previous states at \(folder.path): \(error.localizedDescription)")
        }
        let own = Set(try await store.accountIDs())
        var read = [(candidate: Candidate, path: String, newest: Date, accounts: [String])]()
        for (number, candidate) in candidates.enumerated() {
            let path = folder.appendingPathComponent("\(number).sqlite").path
            do {
                try await candidate.fetch(path)
                let previous = try SQLiteStateStore(path: path)
                do {
                    let accounts = try await previous.accountIDs().filter { !own.contains($0) && (shard?.owns($0) ?? true) }
                    let newest = try await previous.runs().map(\.startedAt).max() ?? .distantPast
                    await previous.close()
                    read.append((candidate, path, newest, accounts))
                } catch {
                    await previous.close()
                    throw error
                }
            } catch let error as PreviousStateError {
                throw error
            } catch {
                throw PreviousStateError("previous state \(candidate.name): cannot be read: \(error)")
            }
        }
        // Each account from the newest state that holds it: an account that moved twice is in two.
        var source = [String: Int]()
        for (index, entry) in read.enumerated() {
            for account in entry.accounts where source[account].map({ read[$0].newest < entry.newest }) ?? true {
                source[account] = index
            }
        }
        var lines = [String]()
        for (index, entry) in read.enumerated() {
            let accounts = source.filter { $0.value == index }.map(\.key).sorted()
            guard !accounts.isEmpty else { continue }
            do {
                let imported = try await store.importAccounts(accounts, from: entry.path)
                lines.append("\(entry.candidate.name): \(imported.accounts) accounts, \(imported.chains) chains, \(imported.checkpoints) checkpoints, \(imported.openFindings) open findings")
            } catch {
                throw PreviousStateError("previous state \(entry.candidate.name): cannot be imported: \(error)")
            }
        }
        return lines
    }
}

/// A previous state that cannot be found, read or imported: the scan stops (exit 3) rather
/// than scan the accounts it holds from scratch.
public struct PreviousStateError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
