import Foundation
import TrailWardenStorage
import TrailWardenVocabulary

/// What to validate: one chain over a time range.
public struct ValidationRequest: Sendable {
    public var chain: DigestChain
    public var start: Date
    public var end: Date
    /// Also report log files in the chain's folder that no digest lists.
    public var checkUnreferenced: Bool
    /// Where an earlier run's search for unreferenced log files stopped
    /// (`ValidationOutcome.unreferencedCheckedThrough`): the search resumes after it, or at
    /// `start` if that is earlier. nil: it starts at `start`.
    public var unreferencedAfter: Date?
    /// The other trails of the chain's folder that the same run validates too. A log file
    /// no digest lists is reported by the chain of the first of these trails and this one
    /// (in ARN order) whose valid digest proves its hour, or of the first when none does:
    /// a scan reports it once, not once per trail.
    public var neighboursValidated: Set<SharedFolderTrail>

    public init(chain: DigestChain, start: Date, end: Date, checkUnreferenced: Bool = false, unreferencedAfter: Date? = nil,
                neighboursValidated: Set<SharedFolderTrail> = []) {
        self.chain = chain
        self.start = start
        self.end = end
        self.checkUnreferenced = checkUnreferenced
        self.unreferencedAfter = unreferencedAfter
        self.neighboursValidated = neighboursValidated
    }
}

/// The result of validating one chain.
public struct ValidationOutcome: Sendable {
    public var tally: ValidationTally
    /// The newest valid standard digest: where an incremental run resumes.
    public var newestVerifiedDigest: VerifiedDigest?
    /// The oldest standard digest listed in the range, if it is valid: the one
    /// that must link to the previous run's checkpoint.
    public var oldestListedDigest: VerifiedDigest?
    /// How many standard digests the range listed.
    public var listedDigestCount: Int
    /// With `checkUnreferenced`: log files delivered up to here were searched (the rest may
    /// still be listed by a digest not yet delivered). nil when no digest was listed, so the
    /// search waits: a later run resumes it from the same place.
    public var unreferencedCheckedThrough: Date? = nil
}

/// Validates one digest chain and its log files.
///
/// Digests and log files are fetched and hashed concurrently (at most
/// `concurrency` at a time, digests within a memory budget); the chain walk
/// and the link checks are sequential and need no I/O. Events reach `emit` in a fixed order that does
/// not depend on timing: the reference's order, with the extra checks' lines
/// placed beside what they are about.
public struct ChainValidator: Sendable {
    public let store: any ObjectStore
    public let keys: any PublicKeySource
    public let concurrency: Int

    public init(store: any ObjectStore, keys: any PublicKeySource, concurrency: Int = 32) {
        self.store = store
        self.keys = keys
        self.concurrency = max(1, concurrency)
    }

    /// The reference lists digests up to an hour past the end, for log files
    /// that spill into the next digest.
    static let listingSlack: TimeInterval = 3600
    /// ...and loads keys valid up to two hours past it, for a key rotating just after the end.
    static let keySlack: TimeInterval = 7200
    /// A log file delivered this close to the newest digest's end may be in the next digest.
    static let undigestedMargin: TimeInterval = 300

    public func validate(_ request: ValidationRequest, emit: (ValidationEvent) throws -> Void) async throws -> ValidationOutcome {
        let chain = request.chain
        // The keys are asked for while the digests are listed and read: neither needs the other.
        let keyWindowEnd = request.end.addingTimeInterval(Self.keySlack)
        let keys = self.keys
        let standardKeys = Task { try await keys.publicKeys(from: request.start, to: keyWindowEnd) }
        defer { standardKeys.cancel() }
        let listing = try await DigestListing.list(chain: chain, bucket: chain.bucket, start: request.start, end: request.end,
                                                   includeOtherTrails: request.checkUnreferenced, store: store)
        var tally = ValidationTally()
        // The spans the chain's own valid digests prove: whose stray log file of a shared folder is whose.
        var proven = [ClosedRange<Date>]()
        func record(_ event: ValidationEvent) throws {
            tally.record(event, requestedStart: request.start, requestedEnd: request.end)
            if case .digestValid(_, _, let start, let end) = event, start <= end { proven.append(start...end) }
            try emit(event)
        }
        var emitter = WalkEmitter(store: store, concurrency: concurrency, collectsReferenced: request.checkUnreferenced,
                                  oldestListed: listing.standard.first.map { ObjectLocation(bucket: chain.bucket, key: $0) })
        var unproven = [UnprovenSpan]()
        // The walks ask for digests newest first: standard, then backfill.
        let plan = (listing.standard.reversed() + listing.backfill.reversed()).map { ObjectLocation(bucket: chain.bucket, key: $0) }
        let store = self.store
        let standardRing = KeyRing(source: keys)
        try await DigestPrefetcher.with(plan, store: store, concurrency: concurrency) { prefetcher in
            guard standardRing.add(try await standardKeys.value) > 0 else { throw KeyRingError.noKeys(from: request.start, to: keyWindowEnd) }
            try await withThrowingTaskGroup(of: (Int, LogFileVerifier.Outcome).self) { verifications in
                for (kind, ring) in [(DigestKind.standard, standardRing), (DigestKind.backfill, KeyRing(source: keys))] {
                    let walker = ChainWalker(
                        chain: chain, kind: kind, start: request.start,
                        authenticator: DigestAuthenticator(chain: chain, keyRing: ring, store: store),
                        listedKeys: { bucket in
                            if bucket == chain.bucket { return kind == .standard ? listing.standard : listing.backfill }
                            let other = try await DigestListing.list(chain: chain, bucket: bucket, start: request.start, end: request.end,
                                                                     includeOtherTrails: false, store: store)
                            return kind == .standard ? other.standard : other.backfill
                        },
                        fetch: { try await prefetcher.fetch($0) })
                    unproven += try await walker.walk { steps in try await emitter.add(steps, verifying: &verifications, record: record) }
                }
                try await emitter.flush(verifying: &verifications, record: record)
            }
        }

        var unreferenced = UnreferencedLogSearch.Result()
        if request.checkUnreferenced {
            unreferenced = try await UnreferencedLogSearch(store: store, concurrency: concurrency, chain: chain, keyRing: standardRing)
                .run(request, listing: listing, referenced: emitter.referenced, unproven: unproven, proven: proven)
            for location in unreferenced.logs { try record(.logUnreferenced(location)) }
        }
        return ValidationOutcome(tally: tally, newestVerifiedDigest: emitter.newestStandard, oldestListedDigest: emitter.oldestListedDigest,
                                 listedDigestCount: listing.standard.count, unreferencedCheckedThrough: unreferenced.checkedThrough)
    }
}

/// The digest keys of a chain in a time range, from one listing of its folder.
struct DigestListing: Sendable {
    var standard: [String] = []
    var backfill: [String] = []
    /// Digests of other trails sharing the folder, whose log files share the log folder.
    var otherTrails: [String] = []

    /// Lists like the reference: keys whose end time lies in [start, end + 1 h], oldest first.
    static func list(chain: DigestChain, bucket: String, start: Date, end: Date, includeOtherTrails: Bool,
                     store: any ObjectStore) async throws -> DigestListing {
        let firstStamp = CloudTrailTime.keyStamp(start)
        let lastTime = end.addingTimeInterval(ChainValidator.listingSlack)
        let lastStamp = CloudTrailTime.keyStamp(lastTime)
        let lastDay = CloudTrailTime.dayPath(lastTime)
        let startAfter = chain.digestFolder + CloudTrailTime.dayPath(start.addingTimeInterval(-60))
        var listing = DigestListing()
        for try await key in store.listKeys(bucket: bucket, prefix: chain.digestFolder, startAfter: startAfter) {
            let day = String(key.dropFirst(chain.digestFolder.count).prefix(10))
            if day > lastDay { break }
            guard let name = DigestKeyName(key: key, folder: chain.digestFolder, accountID: chain.accountID, sourceRegion: chain.sourceRegion),
                  name.stamp >= firstStamp, name.stamp <= lastStamp else { continue }
            if name.trailName == chain.trailName, name.homeRegion == chain.homeRegion {
                if name.isBackfill { listing.backfill.append(key) } else { listing.standard.append(key) }
            } else if includeOtherTrails {
                listing.otherTrails.append(key)
            }
        }
        return listing
    }
}
