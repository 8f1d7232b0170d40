import Foundation
import Testing
import TrailWardenCore
import TrailWardenCrypto
import TrailWardenGzip
import TrailWardenSimulation
import TrailWardenStorage
import TrailWardenVocabulary

/// Bad data never crashes or hangs validation: each case gives the
/// reference's INVALID line for the object, and the walk goes on.
@Suite struct BadInputTests {
    static let spec = WorldSpec(accounts: 1, regions: ["us-east-1"], hours: 12, logsPerDigest: 2)

    /// The chain under test and the digest (hour 2) that each case damages.
    static func target() throws -> (chain: DigestChain, digest: ObjectLocation, world: World) {
        let world = try WorldBuilder(spec: spec).build()
        let chain = world.manifest.chains[0].chain
        let digests = world.objects.keys.filter { chain.digestKeyName($0.key).map { !$0.isBackfill } ?? false }.sorted()
        return (chain, digests[2], world)
    }

    static let digestCases: [(String, DigestProblem, @Sendable (inout World.Object) throws -> Void)] = [
        ("truncated gzip", .invalidFormat, { $0.body = Array($0.body.prefix($0.body.count / 2)) }),
        ("zero bytes", .invalidFormat, { $0.body = [] }),
        ("not JSON", .invalidFormat, { $0.body = Gzip.compress(Array("{not json".utf8)) }),
        ("a JSON list", .invalidFormat, { $0.body = Gzip.compress(Array("[1]".utf8)) }),
        ("a mistyped field", .invalidFormat, { try $0.editJSON { $0 = $0.replacingOccurrences(of: "\"digestS3Bucket\":", with: "\"digestS3Bucket\":7,\"was\":") } }),
        ("a second gzip member", .invalidFormat, { $0.body += Gzip.compress(Array("{}".utf8)) }),
        ("no signature algorithm", .signatureVerificationFailed, { $0.metadata["signature-algorithm"] = nil }),
        ("a non-hex signature", .other("Non-hexadecimal digit found"), { $0.metadata["signature"] = "zz" + ($0.metadata["signature"] ?? "") }),
        ("an odd-length signature", .other("Odd-length string"), { $0.metadata["signature"] = "a" + ($0.metadata["signature"] ?? "") }),
        ("a signature of other bytes", .signatureVerificationFailed, { $0.metadata["signature"] = String(repeating: "ab", count: 256) }),
        ("a bad end time", .invalidFormat, { try $0.editJSON { $0 = $0.replacingOccurrences(of: "\"digestEndTime\":\"", with: "\"digestEndTime\":null,\"x\":\"") } }),
    ]

    @Test(arguments: 0..<digestCases.count)
    func damagedDigestGivesItsInvalidLineAndTheWalkGoesOn(_ index: Int) async throws {
        let (name, problem, damage) = Self.digestCases[index]
        let (chain, digest, _) = try Self.target()
        let world = try await TestWorld.make(Self.spec) { objects in try damage(&objects[digest]!) }
        defer { world.remove() }
        let (events, outcome) = try await world.validate(chain)
        #expect(events.contains(.digestInvalid(digest, .standard, problem)), "\(name)")
        #expect(outcome.tally.invalidDigests == 1, "\(name)")
        // The digest after the damaged one links to it; that adds nothing, and older digests are still validated.
        #expect(outcome.tally.brokenLinks == 0 && outcome.tally.additionalMissingDigests == 0, "\(name)")
        #expect(outcome.tally.validDigests == 9, "\(name)")
    }

    /// A missing trailer alone leaves every byte of content, whose hash then
    /// matches: the reference calls that valid, and so does TrailWarden.
    @Test func aLogMissingOnlyItsGzipTrailerIsStillProvenByItsHash() async throws {
        let (chain, digest, built) = try Self.target()
        let listed = try DigestFile(json: Gzip.inflate(built.objects[digest]!.body)).logFiles[0]
        let log = ObjectLocation(bucket: listed.bucket, key: listed.key)
        let world = try await TestWorld.make(Self.spec) { objects in objects[log]!.body.removeLast(8) }
        defer { world.remove() }
        let (events, outcome) = try await world.validate(chain)
        #expect(events.contains(.logValid(log)))
        #expect(!outcome.tally.hasFindings)
    }

    static let logCases: [(String, LogProblem, @Sendable (inout World.Object) -> Void)] = [
        ("zero bytes", .hashMismatch, { $0.body = [] }),
        ("cut in half", .hashMismatch, { $0.body = Array($0.body.prefix($0.body.count / 2)) }),
        ("not gzip", .invalidFormat, { $0.body = Array("plain text".utf8) }),
        ("a flipped byte", .invalidFormat, { $0.body[$0.body.count - 5] ^= 0xff }),
        ("trailing garbage", .dataAfterFirstMember, { $0.body += [0, 1, 2] }),
    ]

    @Test(arguments: 0..<logCases.count)
    func damagedLogGivesItsInvalidLine(_ index: Int) async throws {
        let (name, problem, damage) = Self.logCases[index]
        let (chain, digest, built) = try Self.target()
        let listed = try DigestFile(json: Gzip.inflate(built.objects[digest]!.body)).logFiles[0]
        let log = ObjectLocation(bucket: listed.bucket, key: listed.key)
        let world = try await TestWorld.make(Self.spec) { objects in damage(&objects[log]!) }
        defer { world.remove() }
        let (events, outcome) = try await world.validate(chain)
        #expect(events.contains(.logInvalid(log, problem)), "\(name)")
        #expect(outcome.tally.invalidLogs == 1, "\(name)")
    }

    @Test func aKeyThatIsNotRSAIsUnloadable() async throws {
        let (chain, digest, _) = try Self.target()
        let ec = [UInt8](Data(base64Encoded: "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAED99uqRINZb0Sd4JzOJiuGsyQ7s2Kx8l2xkFeUsoCmgBYJ1foIqPy83V3RVS4uKZXex0kHt+MLlFt9kJmFNQOzw==")!)
        let ecKey = PublicKey(fingerprint: "ec-fingerprint", der: ec, validityStart: nil, validityEnd: nil)
        let world = try await TestWorld.make(Self.spec) { objects in
            try objects[digest]!.editJSON { text in
                let fingerprint = text.range(of: #""digestPublicKeyFingerprint":"[0-9a-f]+""#, options: .regularExpression)!
                text.replaceSubrange(fingerprint, with: #""digestPublicKeyFingerprint":"ec-fingerprint""#)
            }
        }
        defer { world.remove() }
        let keys = StaticPublicKeySource(keys: world.keys.keys + [ecKey])
        let (events, _) = try await world.validate(chain, keys: keys)
        #expect(events.contains(.digestInvalid(digest, .standard, .unloadablePublicKey(fingerprint: "ec-fingerprint"))))
    }

    @Test func noPublicKeysInTheRangeStopsTheChain() async throws {
        let world = try await TestWorld.make(Self.spec)
        defer { world.remove() }
        await #expect(throws: KeyRingError.self) {
            _ = try await world.validate(world.manifest.chains[0].chain, keys: StaticPublicKeySource(keys: []))
        }
    }

    @Test func backfillDigestsNeedTheirGenerationTimestamp() async throws {
        let (chain, _, built) = try Self.target()
        let backfill = try #require(built.objects.keys.first { chain.digestKeyName($0.key)?.isBackfill == true })
        for (stamp, problem) in [(nil, DigestProblem.invalidFormat), ("soon", .other("Unable to parse date value: soon"))] {
            let world = try await TestWorld.make(Self.spec) { objects in objects[backfill]!.metadata["backfill-generation-timestamp"] = stamp }
            defer { world.remove() }
            let (events, outcome) = try await world.validate(chain)
            #expect(events.contains(.digestInvalid(backfill, .backfill, problem)))
            #expect(outcome.tally.invalidBackfillDigests == 1)
        }
    }

    @Test func anyFileInTheLogFolderThatCloudTrailCannotHaveWrittenIsUnreferenced() async throws {
        let (chain, _, _) = try Self.target()
        let evil = ObjectLocation(bucket: chain.bucket, key: chain.logFolder + "2026/01/01/evil.json.gz")
        let world = try await TestWorld.make(Self.spec) { objects in objects[evil] = World.Object(body: [1, 2, 3], metadata: [:]) }
        defer { world.remove() }
        let (events, outcome) = try await world.validate(chain)
        #expect(events.last == ValidationEvent.logUnreferenced(evil))
        #expect(outcome.tally.unreferencedLogs == 1)
        #expect(try await world.validate(chain, checkUnreferenced: false).outcome.tally.hasFindings == false)
    }

    @Test func aStoreThatCannotBeReadIsAnErrorNotAFinding() async throws {
        let world = try await TestWorld.make(Self.spec)
        defer { world.remove() }
        var chain = world.manifest.chains[0].chain
        chain.bucket = "no-such-bucket"
        await #expect(throws: ObjectStoreError.self) { _ = try await world.validate(chain) }
    }
}

/// The 1 GiB rule at test size: a 64 MiB log streams through a 16 KiB
/// inflate buffer, from a store that never holds the file either.
@Suite struct LargeLogTests {
    /// Serves one gzip log generated on the fly, in 64 KiB pieces.
    struct GeneratedLogStore: ObjectStore {
        let compressed: [UInt8]

        func listKeys(bucket: String, prefix: String, startAfter: String?) -> AsyncThrowingStream<String, any Error> {
            AsyncThrowingStream { $0.finish() }
        }

        func read<Consumer: BodyConsumer>(_ location: ObjectLocation, into consumer: inout Consumer) async throws -> UserMetadata {
            var offset = 0
            while offset < compressed.count {
                let end = min(offset + 65_536, compressed.count)
                try compressed[offset..<end].withUnsafeBytes { try consumer.consume($0) }
                offset = end
            }
            return [:]
        }
    }

    @Test func a64MiBLogValidatesThroughASmallBuffer() async throws {
        let line = Array(#"{"eventVersion":"1.09","eventSource":"s3.amazonaws.com","eventName":"GetObject"},"#.utf8)
        var text = [UInt8]()
        text.reserveCapacity(64 << 20)
        while text.count + line.count <= 64 << 20 { text += line }
        let hash = TrailWardenCrypto.Digests.sha256Hex(text)
        let store = GeneratedLogStore(compressed: Gzip.compress(text, level: 1))
        text = []
        let reference = LogFileReference(bucket: "b", key: "big.json.gz", hashValue: hash)
        #expect(try await LogFileVerifier.verify(reference, in: store, inflateBufferSize: 16 * 1024) == .valid)
        var wrong = reference
        wrong.hashValue = String(repeating: "0", count: 64)
        #expect(try await LogFileVerifier.verify(wrong, in: store, inflateBufferSize: 16 * 1024) == .invalid(.hashMismatch))
    }
}
