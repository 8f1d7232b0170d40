import Foundation
import TrailWardenStorage
import TrailWardenVocabulary

/// Finds the log files in a chain's log folder that no digest lists (`--check-unreferenced`).
///
/// Several trails may deliver into one folder, so a log file is unreferenced only if no
/// digest of any trail there lists it, and it is this chain's to report only if neither
/// this chain's nor another trail's digest that could list it is missing or false: those
/// log files belong to that digest's finding, on that trail's chain. Log files delivered
/// too close to the newest digest of any trail there may still be listed by its next
/// digest; the search stops short of them, says where (`checkedThrough`), and the next run
/// resumes there, so no minutes are left unexamined between runs. When the same run
/// validates other trails of the folder, a file none lists is reported once: by the
/// first of them (in ARN order, this chain's trail included) whose valid digests prove
/// its hour, or, when none does, by the first of them.
struct UnreferencedLogSearch {
    let store: any ObjectStore
    let concurrency: Int
    let chain: DigestChain
    let keyRing: KeyRing

    /// A trail delivers a digest every hour, up to about an hour late: one whose newest
    /// digest ended longer than this before this chain's newest has stopped (or lost its
    /// newest digests), and holds the search back no longer.
    static let siblingLag: TimeInterval = 2 * 3600

    struct Result {
        var logs: [ObjectLocation] = []
        /// Log files delivered up to here were examined; nil when no digest was listed, so nothing could be.
        var checkedThrough: Date?
    }

    /// - Parameter proven: the spans this chain's valid digests prove.
    func run(_ request: ValidationRequest, listing: DigestListing, referenced: Set<ObjectLocation>,
             unproven: [UnprovenSpan], proven: [ClosedRange<Date>]) async throws -> Result {
        guard let ownNewest = listing.standard.last.flatMap(DigestKeyName.endTime(inKey:)) else {
            return Result(checkedThrough: nil)
        }
        let siblings = siblingKeys(listing.otherTrails)
        let newestOfAll = siblings.values.compactMap { $0.last.flatMap(DigestKeyName.endTime(inKey:)) }
            .filter { ownNewest.timeIntervalSince($0) <= Self.siblingLag }.reduce(ownNewest, min)
        let cutoff = min(request.end, newestOfAll.addingTimeInterval(-ChainValidator.undigestedMargin))
        // Carried over from the previous run: what it left unexamined before its newest digest.
        let after = request.unreferencedAfter.map { min($0, request.start) }
        let from = after ?? request.start
        guard cutoff > from else { return Result(checkedThrough: after ?? cutoff) }

        var candidates = try await listCandidates(from: from, inclusive: after == nil, through: cutoff, referenced: referenced,
                                                  unproven: unproven)
        if !candidates.isEmpty {
            var vouching = listing.otherTrails
            if from < request.start {
                // Digests that ended in the carried minutes (the previous run's newest) may list them.
                let earlier = try await DigestListing.list(chain: chain, bucket: chain.bucket, start: from,
                                                           end: request.start.addingTimeInterval(-ChainValidator.listingSlack),
                                                           includeOtherTrails: true, store: store)
                vouching += (earlier.standard + earlier.backfill + earlier.otherTrails).filter {
                    DigestKeyName.endTime(inKey: $0).map { $0 > from && $0 < request.start } ?? false
                }
            }
            let others = try await examine(vouching, after: from)
            let own = SharedFolderTrail(trailName: chain.trailName, homeRegion: chain.homeRegion)
            var spans = [own.searchKey: proven]
            for trail in request.neighboursValidated { spans[trail.searchKey] = others.proven[trail.searchKey] ?? [] }
            let validated = ([own] + request.neighboursValidated.filter { $0 != own }).sorted { $0.order < $1.order }
            candidates.removeAll { location in
                let time = logTime(location)
                if others.listed.contains(location) || time.map({ time in others.broken.contains { $0.contains(time) } }) ?? false { return true }
                // One chain of the folder reports it: the first trail proving its time (any time, for a name with none), else the first.
                let proving = validated.first { trail in
                    let trailSpans = spans[trail.searchKey] ?? []
                    return time.map { time in trailSpans.contains { $0.contains(time) } } ?? !trailSpans.isEmpty
                }
                return (proving ?? validated[0]) != own
            }
        }
        return Result(logs: candidates, checkedThrough: cutoff)
    }

    /// The standard digest keys of the other trails in the folder, per trail, oldest first.
    private func siblingKeys(_ keys: [String]) -> [String: [String]] {
        var byTrail = [String: [String]]()
        for key in keys {
            guard let name = DigestKeyName(key: key, folder: chain.digestFolder, accountID: chain.accountID, sourceRegion: chain.sourceRegion),
                  !name.isBackfill else { continue }
            byTrail[SharedFolderTrail(trailName: name.trailName, homeRegion: name.homeRegion).searchKey, default: []].append(key)
        }
        return byTrail.mapValues { $0.sorted() }
    }

    /// Log files delivered in (from, through] (or [from, through]) that no valid digest of
    /// this chain lists and no missing or invalid one of it could; and any object there, in
    /// those days, whose name is not a CloudTrail log file name.
    private func listCandidates(from: Date, inclusive: Bool, through cutoff: Date, referenced: Set<ObjectLocation>,
                                unproven: [UnprovenSpan]) async throws -> [ObjectLocation] {
        let firstDay = CloudTrailTime.dayPath(from), cutoffDay = CloudTrailTime.dayPath(cutoff)
        var found = [ObjectLocation]()
        for try await key in store.listKeys(bucket: chain.bucket, prefix: chain.logFolder, startAfter: chain.logFolder + firstDay) {
            let day = String(key.dropFirst(chain.logFolder.count).prefix(10))
            if day > cutoffDay { break }
            let location = ObjectLocation(bucket: chain.bucket, key: key)
            guard let time = logTime(location) else {
                // Not a CloudTrail log file name: CloudTrail did not write it, so no digest can vouch for it.
                if day >= firstDay { found.append(location) }
                continue
            }
            guard inclusive ? time >= from : time > from, time <= cutoff,
                  !unproven.contains(where: { $0.contains(time) }) else { continue }
            if !referenced.contains(location) { found.append(location) }
        }
        return found
    }

    private func logTime(_ location: ObjectLocation) -> Date? {
        LogKeyName(key: location.key, folder: chain.logFolder, accountID: chain.accountID, sourceRegion: chain.sourceRegion)?.deliveryTime
    }

    /// What other digests in the folder say: the log files their valid digests list, the
    /// spans of other trails whose digest is missing or false (their log files are that
    /// trail's finding), and the spans each trail's valid digests prove. Fetched only when
    /// some log file needs them, so that a run with nothing new reads no object.
    private func examine(_ keys: [String], after from: Date)
        async throws -> (listed: Set<ObjectLocation>, broken: [UnprovenSpan], proven: [String: [ClosedRange<Date>]]) {
        let locations = keys.map { ObjectLocation(bucket: chain.bucket, key: $0) }
        let authenticator = DigestAuthenticator(chain: chain, keyRing: keyRing, store: store)
        let ownName = SharedFolderTrail(trailName: chain.trailName, homeRegion: chain.homeRegion).searchKey
        let listedByTrail = siblingKeys(keys).filter { $0.key != ownName }
        return try await DigestPrefetcher.with(locations, store: store, concurrency: concurrency) { prefetcher in
            var listed = Set<ObjectLocation>()
            var broken = [UnprovenSpan]()
            var proven = [String: [ClosedRange<Date>]]()
            var verifiedByKey = [String: VerifiedDigest]()
            for location in locations {
                let kind: DigestKind = DigestKeyName.isBackfill(key: location.key) ? .backfill : .standard
                guard let digest = try await prefetcher.fetch(location),
                      case .success(let verified) = try await authenticator.authenticate(digest, kind: kind) else { continue }
                listed.formUnion(verified.file.logFiles.map { ObjectLocation(bucket: $0.bucket, key: $0.key) })
                verifiedByKey[location.key] = verified
                if let name = DigestKeyName(key: location.key, folder: chain.digestFolder, accountID: chain.accountID,
                                            sourceRegion: chain.sourceRegion), verified.startTime <= verified.endTime {
                    proven[SharedFolderTrail(trailName: name.trailName, homeRegion: name.homeRegion).searchKey, default: []]
                        .append(verified.startTime...verified.endTime)
                }
            }
            for keys in listedByTrail.values {
                var olderEnd: Date?
                for key in keys {
                    guard let end = DigestKeyName.endTime(inKey: key) else { continue }
                    defer { olderEnd = end }
                    guard let verified = verifiedByKey[key] else {
                        broken.append(UnprovenSpan(after: olderEnd ?? end.addingTimeInterval(-3600), through: end))
                        continue
                    }
                    // A digest it links to is gone: the hours since the older one listed are that trail's to answer for.
                    if let previous = verified.file.previousDigestS3Object, !keys.contains(previous),
                       let previousEnd = DigestKeyName.endTime(inKey: previous), previousEnd > from {
                        broken.append(UnprovenSpan(after: olderEnd ?? .distantPast, through: previousEnd))
                    }
                }
            }
            return (listed, broken, proven)
        }
    }
}
