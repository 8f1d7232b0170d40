import Foundation
import TrailWardenCore
import TrailWardenCrypto
import TrailWardenGzip
import TrailWardenStorage
import TrailWardenVocabulary

/// A simulated world held in memory: its objects, its manifest and its keys.
public struct World: Sendable {
    public struct Object: Sendable {
        public var body: [UInt8]
        public var metadata: UserMetadata

        public init(body: [UInt8], metadata: UserMetadata) {
            self.body = body
            self.metadata = metadata
        }
    }

    public var objects: [ObjectLocation: Object]
    public var manifest: WorldManifest
    /// The JSON `aws cloudtrail list-public-keys` would print for the world's keys.
    public var publicKeysJSON: Data

    /// Writes the objects to `store`, a few at a time.
    public func write(to store: any WritableObjectStore, concurrency: Int = 8) async throws {
        let entries = objects.sorted { $0.key < $1.key }
        try await forEachConcurrently(entries, limit: concurrency, operation: { entry in
            try await store.put(entry.key, body: entry.value.body, metadata: entry.value.metadata)
        }, inOrder: { _, _ in })
    }
}

/// Why a world cannot be built.
public struct WorldSpecError: Error, CustomStringConvertible {
    public var description: String
}

/// Builds a realistic, signed CloudTrail world: hourly digest chains with
/// plausible log files, empty hours, a logging-stopped gap, a backfill digest,
/// a key rotation, organization-trail layouts and a trail sharing another's
/// folder; then applies the requested tampering and records what a correct
/// validator must report.
public struct WorldBuilder {
    public let spec: WorldSpec

    public init(spec: WorldSpec) { self.spec = spec }

    /// A chain being built, with what the tampering step needs to know of it.
    struct ChainBuild {
        var arn: String
        var chain: DigestChain
        var isOrganizationTrail: Bool
        var tamperable: Bool
        /// Log files per digest outside the empty hours: the spec's, or a large account's.
        var logsPerDigest: Int
        var digests: [Int: DigestBuild] = [:]
        var findings: [ExpectedFinding] = []
    }

    struct DigestBuild {
        var document: DigestDocument
        var location: ObjectLocation
        var endTime: Date
        var signer: RSAPrivateKey
        var logs: [ObjectLocation]
    }

    public func build() throws -> World {
        let problems = spec.validationErrors()
        guard problems.isEmpty else { throw WorldSpecError(description: problems.joined(separator: "; ")) }
        let keys = try SigningKeys(spec: spec)
        var objects: [ObjectLocation: World.Object] = [:]
        var builds = plans()
        let gapStart = spec.hours / 2
        let placements = try TamperPlanner(spec: spec, gapStart: gapStart).place(on: builds)
        for index in builds.indices {
            var random = SeededRandom(seed: spec.seed &* 1_000_003 &+ UInt64(index))
            let linkBreakAt = placements.first { $0.kind == .linkBreak && $0.chainIndex == index }?.hour
            generate(&builds[index], chainIndex: index, random: &random, keys: keys, gapStart: gapStart, linkBreakAt: linkBreakAt, into: &objects)
        }
        for placement in placements where placement.kind != .linkBreak {
            Tamperer(keys: keys).apply(placement, to: &builds[placement.chainIndex], objects: &objects)
        }

        let manifest = WorldManifest(
            seed: spec.seed, start: spec.start, end: spec.start.addingTimeInterval(Double(spec.hours + 1) * 3600),
            tampers: spec.tampers,
            largeAccounts: spec.largeAccounts > 0 ? (0..<spec.accounts).filter(spec.isLarge(accountIndex:)).map(accountID) : nil,
            largeFactor: spec.largeAccounts > 0 ? spec.largeFactor : nil,
            chains: builds.map { WorldChain(trailARN: $0.arn, chain: $0.chain, isOrganizationTrail: $0.isOrganizationTrail,
                                            expectedFindings: $0.findings.sorted { ($0.object, $0.kind.rawValue) < ($1.object, $1.kind.rawValue) }) })
        return World(objects: objects, manifest: manifest, publicKeysJSON: keys.publicKeysJSON)
    }

    /// Whether a chain's digest for `hour` lists no log files: about one hour
    /// in ten, fixed in advance so that tampering can avoid empty hours.
    static func isEmptyHour(chainIndex: Int, hour: Int, seed: UInt64) -> Bool {
        (UInt64(hour) &* 2_654_435_761 &+ UInt64(chainIndex) &* 97 &+ seed) % 10 == 0
    }

    /// The trails and chains of the world.
    func plans() -> [ChainBuild] {
        let accounts = (0..<spec.accounts).map(accountID)
        let home = spec.regions[0]
        var builds = [ChainBuild]()
        if let org = spec.organizationID {
            let arn = "arn:aws:cloudtrail:\(home):\(accounts[0]):trail/org-trail"
            for (index, account) in accounts.enumerated() {
                for region in spec.regions {
                    builds.append(ChainBuild(arn: arn, chain: DigestChain(bucket: "trailwarden-sim-\(org)", prefix: "org", organizationID: org,
                                                                          accountID: account, trailName: "org-trail", homeRegion: home, sourceRegion: region),
                                             isOrganizationTrail: true, tamperable: true, logsPerDigest: spec.logsPerDigest(accountIndex: index)))
                }
            }
        }
        if spec.organizationID == nil || spec.accountTrails {
            for (index, account) in accounts.enumerated() {
                let arn = "arn:aws:cloudtrail:\(home):\(account):trail/management-events"
                for region in spec.regions {
                    builds.append(ChainBuild(arn: arn, chain: DigestChain(bucket: "trailwarden-sim-\(account)", prefix: "cloudtrail", organizationID: nil,
                                                                          accountID: account, trailName: "management-events", homeRegion: home, sourceRegion: region),
                                             isOrganizationTrail: false, tamperable: !(account == accounts[0] && region == home),
                                             logsPerDigest: spec.logsPerDigest(accountIndex: index)))
                }
            }
        }
        // A single-region trail whose name has "_", "." and "-"; without an
        // organization it shares the first account's bucket, prefix and folders.
        let shared = "sec_audit.trail-2"
        builds.append(ChainBuild(arn: "arn:aws:cloudtrail:\(home):\(accounts[0]):trail/\(shared)",
                                 chain: DigestChain(bucket: "trailwarden-sim-\(accounts[0])", prefix: "cloudtrail", organizationID: nil,
                                                    accountID: accounts[0], trailName: shared, homeRegion: home, sourceRegion: home),
                                 isOrganizationTrail: false, tamperable: false, logsPerDigest: spec.logsPerDigest(accountIndex: 0)))
        return builds
    }

    /// The 12-digit id of the account at `index`: the first account's, then 111,111 apart.
    func accountID(_ index: Int) -> String { String(format: "%012llu", spec.firstAccount + UInt64(index) * 111_111) }

    private func generate(_ build: inout ChainBuild, chainIndex: Int, random: inout SeededRandom, keys: SigningKeys, gapStart: Int,
                          linkBreakAt: Int?, into objects: inout [ObjectLocation: World.Object]) {
        let chain = build.chain
        let offset = Double(60 + random.next() % 3480)
        var previous: (location: ObjectLocation, sha256: String, signature: String)?
        for hour in 0..<spec.hours where !(gapStart..<(gapStart + 2)).contains(hour) {
            let windowStart = spec.start.addingTimeInterval(offset + Double(hour) * 3600)
            let windowEnd = windowStart.addingTimeInterval(3600)
            if hour == gapStart + 2 { previous = nil }
            let logCount = Self.isEmptyHour(chainIndex: chainIndex, hour: hour, seed: spec.seed) ? 0 : build.logsPerDigest
            let logs = makeLogs(chain: chain, count: logCount, windowStart: windowStart, random: &random, into: &objects)
            let location = ObjectLocation(bucket: chain.bucket, key: chain.digestKey(endingAt: windowEnd))
            let signer = keys.signer(at: windowEnd)
            var document = DigestDocument(
                accountID: chain.accountID, startTime: CloudTrailTime.display(windowStart), endTime: CloudTrailTime.display(windowEnd),
                bucket: location.bucket, key: location.key, fingerprint: keys.fingerprint(of: signer),
                newestEventTime: logs.map(\.newestEventTime).max(), oldestEventTime: logs.map(\.oldestEventTime).min(),
                previousBucket: previous?.location.bucket, previousKey: previous?.location.key,
                previousHashValue: previous?.sha256, previousSignature: previous?.signature, logFiles: logs)
            if hour == linkBreakAt {
                document.previousHashValue = Digests.sha256Hex(Array("a digest that never was".utf8))
                build.findings.append(ExpectedFinding(kind: .chainLinkHashMismatch, object: location.description, tamper: .linkBreak,
                                                      reportedByReference: false, needsCheckUnreferenced: false, count: nil))
            }
            let signed = Signing.sign(document, with: signer)
            objects[location] = signed.object
            previous = (location, signed.sha256, signed.signature)
            build.digests[hour] = DigestBuild(document: document, location: location, endTime: windowEnd, signer: signer,
                                              logs: logs.map { ObjectLocation(bucket: $0.bucket, key: $0.key) })
            if hour == 3 {
                makeBackfill(chain: chain, windowStart: windowStart, random: &random, keys: keys, into: &objects)
            }
        }
    }

    /// Log files delivered within a digest's hour, stopping short of its end so
    /// that none could belong to the next digest.
    func makeLogs(chain: DigestChain, count: Int, windowStart: Date, random: inout SeededRandom,
                  into objects: inout [ObjectLocation: World.Object]) -> [DigestDocument.LogEntry] {
        let deliveries = (0..<count).map { _ in windowStart.addingTimeInterval(Double(60 + random.next() % 3000)) }.sorted()
        return deliveries.map { delivery in
            let key = chain.logFolder + CloudTrailTime.dayPath(delivery) + "/"
                + "\(chain.accountID)_CloudTrail_\(chain.sourceRegion)_\(CloudTrailTime.logKeyStamp(delivery))_\(random.string(16)).json.gz"
            let content = LogContent.make(accountID: chain.accountID, region: chain.sourceRegion, delivery: delivery,
                                          events: 2 + Int(random.next() % 3), random: &random)
            objects[ObjectLocation(bucket: chain.bucket, key: key)] = World.Object(body: Gzip.compress(content.json), metadata: [:])
            return DigestDocument.LogEntry(bucket: chain.bucket, key: key, hashValue: Digests.sha256Hex(content.json),
                                           newestEventTime: content.newest, oldestEventTime: content.oldest)
        }
    }

    /// A backfill digest for two log files of an early hour delivered late.
    private func makeBackfill(chain: DigestChain, windowStart: Date, random: inout SeededRandom, keys: SigningKeys,
                              into objects: inout [ObjectLocation: World.Object]) {
        let windowEnd = windowStart.addingTimeInterval(3600)
        let logs = makeLogs(chain: chain, count: 2, windowStart: windowStart, random: &random, into: &objects)
        let generated = windowEnd.addingTimeInterval(2 * 3600)
        let signer = keys.signer(at: generated)
        let location = ObjectLocation(bucket: chain.bucket, key: chain.digestKey(endingAt: windowEnd, backfill: true))
        let document = DigestDocument(
            accountID: chain.accountID, startTime: CloudTrailTime.display(windowStart), endTime: CloudTrailTime.display(windowEnd),
            bucket: location.bucket, key: location.key, fingerprint: keys.fingerprint(of: signer),
            newestEventTime: logs.map(\.newestEventTime).max(), oldestEventTime: logs.map(\.oldestEventTime).min(),
            previousBucket: nil, previousKey: nil, previousHashValue: nil, previousSignature: nil, logFiles: logs)
        var signed = Signing.sign(document, with: signer)
        signed.object.metadata["backfill-generation-timestamp"] = CloudTrailTime.display(generated)
        objects[location] = signed.object
    }
}

/// Gzips and signs a digest document as CloudTrail does.
enum Signing {
    static func sign(_ document: DigestDocument, with key: RSAPrivateKey) -> (object: World.Object, sha256: String, signature: String) {
        let json = document.render()
        let sha256 = Digests.sha256Hex(json)
        let toSign = "\(document.endTime)\n\(document.bucket)/\(document.key)\n\(sha256)\n\(document.previousSignature ?? "null")"
        let signature = Hex.encode(key.sign(Array(toSign.utf8)))
        let metadata = ["signature": signature, "signature-algorithm": "SHA256withRSA"]
        return (World.Object(body: Gzip.compress(json), metadata: metadata), sha256, signature)
    }
}

/// The world's keys: two published keys with overlapping validity around a
/// rotation in the middle of the world, and one unknown key.
struct SigningKeys {
    let first: RSAPrivateKey
    let second: RSAPrivateKey
    let unknown: RSAPrivateKey
    let rotation: Date
    let publicKeysJSON: Data

    init(spec: WorldSpec) throws {
        first = try RSAPrivateKey(pem: SimulationKeys.first)
        second = try RSAPrivateKey(pem: SimulationKeys.second)
        unknown = try RSAPrivateKey(pem: SimulationKeys.unknown)
        rotation = spec.start.addingTimeInterval(Double(spec.hours / 2 - 1) * 3600)
        let end = spec.start.addingTimeInterval(Double(spec.hours) * 3600 + 60 * 86400)
        let published: [(RSAPrivateKey, Date, Date)] = [
            (first, spec.start.addingTimeInterval(-30 * 86400), rotation.addingTimeInterval(3600)),
            (second, rotation, end),
        ]
        let list = published.map { key, from, to -> [String: Any] in
            ["Value": Data(key.publicKeyPKCS1DER).base64EncodedString(), "Fingerprint": Digests.md5Hex(key.publicKeyPKCS1DER),
             "ValidityStartTime": from.timeIntervalSince1970, "ValidityEndTime": to.timeIntervalSince1970]
        }
        publicKeysJSON = try JSONSerialization.data(withJSONObject: ["PublicKeyList": list], options: [.prettyPrinted, .sortedKeys])
    }

    func signer(at time: Date) -> RSAPrivateKey { time < rotation ? first : second }

    func fingerprint(of key: RSAPrivateKey) -> String { Digests.md5Hex(key.publicKeyPKCS1DER) }
}
