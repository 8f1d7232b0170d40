import Foundation
import Testing
import TrailWardenCore
import TrailWardenGzip
import TrailWardenSimulation
import TrailWardenStorage
import TrailWardenVocabulary

/// A finding about an object's bytes needs two reads with the same bytes
/// that both show it: damage seen once is not tampering, and reads that keep
/// differing are an error.
@Suite struct ConfirmationTests {
    enum Damage: Sendable {
        /// Only the first read is damaged.
        case firstReadOnly
        /// Every read is damaged the same way.
        case everyRead
        /// Every read is damaged differently.
        case differentlyEachRead
    }

    /// Serves `target` damaged as `damage` says (one byte flipped near the
    /// end, inside gzip's checksum), every other object as stored.
    final class DamagingStore: ObjectStore, @unchecked Sendable {
        let inner: LocalDirectoryStore
        let target: ObjectLocation
        let damage: Damage
        private let lock = NSLock()
        private var targetReads = 0

        init(inner: LocalDirectoryStore, target: ObjectLocation, damage: Damage) {
            self.inner = inner
            self.target = target
            self.damage = damage
        }

        var readsOfTarget: Int { lock.withLock { targetReads } }

        func listKeys(bucket: String, prefix: String, startAfter: String?) -> AsyncThrowingStream<String, any Error> {
            inner.listKeys(bucket: bucket, prefix: prefix, startAfter: startAfter)
        }

        func read<Consumer: BodyConsumer>(_ location: ObjectLocation, into consumer: inout Consumer) async throws -> UserMetadata {
            guard location == target else { return try await inner.read(location, into: &consumer) }
            let object = try await inner.get(location)
            let read = lock.withLock { () -> Int in
                targetReads += 1
                return targetReads
            }
            var body = object.body
            switch damage {
            case .firstReadOnly where read == 1, .everyRead: body[body.count - 6] ^= 0x01
            case .differentlyEachRead: body[body.count - 6] ^= UInt8(truncatingIfNeeded: read)
            case .firstReadOnly: break
            }
            try body.withUnsafeBytes { try consumer.consume($0) }
            return object.metadata
        }
    }

    static let spec = WorldSpec(accounts: 1, regions: ["us-east-1"], hours: 12, logsPerDigest: 2)

    /// What one validation through a damaging store saw.
    struct Run {
        var digest: ObjectLocation
        var log: ObjectLocation
        var reads: Int
        var result: Result<(events: [ValidationEvent], outcome: ValidationOutcome), any Error>
    }

    /// Validates a world's chain with a digest in its middle, or a log file it lists, damaged as `damage` says.
    static func run(damagingTheLog: Bool, _ damage: Damage) async throws -> Run {
        let world = try await TestWorld.make(spec)
        defer { world.remove() }
        let chain = world.manifest.chains[0].chain
        let digest = world.digests(of: chain)[2]
        let listed = try DigestFile(json: Gzip.inflate(world.world.objects[digest]!.body)).logFiles[0]
        let log = ObjectLocation(bucket: listed.bucket, key: listed.key)
        let store = DamagingStore(inner: world.store, target: damagingTheLog ? log : digest, damage: damage)
        var events = [ValidationEvent]()
        let result: Result<(events: [ValidationEvent], outcome: ValidationOutcome), any Error>
        do {
            let outcome = try await ChainValidator(store: store, keys: world.keys, concurrency: 4)
                .validate(ValidationRequest(chain: chain, start: world.manifest.start, end: world.manifest.end)) { events.append($0) }
            result = .success((events, outcome))
        } catch {
            result = .failure(error)
        }
        return Run(digest: digest, log: log, reads: store.readsOfTarget, result: result)
    }

    @Test(arguments: [true, false])
    func damageSeenOnceIsNotAFinding(_ damagingTheLog: Bool) async throws {
        let run = try await Self.run(damagingTheLog: damagingTheLog, .firstReadOnly)
        let (events, outcome) = try run.result.get()
        #expect(!outcome.tally.hasFindings)
        #expect(events.contains { if case .digestValid(run.digest, _, _, _) = $0 { return true } else { return false } })
        #expect(events.contains(.logValid(run.log)))
        #expect(run.reads == 2)
    }

    @Test(arguments: [true, false])
    func damageSeenTwiceAlikeIsAFinding(_ damagingTheLog: Bool) async throws {
        let run = try await Self.run(damagingTheLog: damagingTheLog, .everyRead)
        let (events, outcome) = try run.result.get()
        if damagingTheLog {
            #expect(events.contains(.logInvalid(run.log, .invalidFormat)))
            #expect(outcome.tally.invalidLogs == 1)
            // The first read, then two confirming reads that agree.
            #expect(run.reads == 3)
        } else {
            #expect(events.contains(.digestInvalid(run.digest, .standard, .invalidFormat)))
            #expect(outcome.tally.invalidDigests == 1)
            #expect(run.reads == 2)
        }
    }

    @Test(arguments: [true, false])
    func readsThatKeepDifferingAreAnErrorNotAFinding(_ damagingTheLog: Bool) async throws {
        let run = try await Self.run(damagingTheLog: damagingTheLog, .differentlyEachRead)
        let target = damagingTheLog ? run.log : run.digest
        do {
            _ = try run.result.get()
            Issue.record("validation reported instead of failing")
        } catch let error as ObjectStoreError {
            #expect(error.kind == .unavailable)
            #expect(error.subject == target.description)
            #expect(error.message == "two reads of \(target) returned different bytes")
        }
        // Three hashed reads, all different (for a log file, after its first, unhashed read).
        #expect(run.reads == (damagingTheLog ? 4 : 3))
    }

    /// Larger than any digest CloudTrail writes: refused as invalid format,
    /// without holding more than the limit, after a confirming read.
    @Test func aDigestInflatingPastTheLimitIsInvalidFormat() async throws {
        let (chain, digest, _) = try BadInputTests.target()
        let padding = String(repeating: "a", count: DigestFile.maximumUncompressedSize)
        let world = try await TestWorld.make(BadInputTests.spec) { objects in
            try objects[digest]!.editJSON { $0 = $0.replacingOccurrences(of: "{", with: "{\"padding\":\"\(padding)\",", options: [.anchored]) }
        }
        defer { world.remove() }
        let (events, outcome) = try await world.validate(chain)
        #expect(events.contains(.digestInvalid(digest, .standard, .invalidFormat)))
        #expect(outcome.tally.invalidDigests == 1)
    }
}
