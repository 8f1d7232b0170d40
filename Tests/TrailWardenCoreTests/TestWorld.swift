import Foundation
import TrailWardenCore
import TrailWardenCrypto
import TrailWardenGzip
import TrailWardenSimulation
import TrailWardenStorage

/// A simulated world written to a temporary local store, for validation tests.
struct TestWorld {
    let world: World
    let root: URL
    let store: LocalDirectoryStore
    let keys: StaticPublicKeySource

    /// Builds `spec`, lets `edit` change objects before they are written.
    static func make(_ spec: WorldSpec, edit: (inout [ObjectLocation: World.Object]) throws -> Void = { _ in }) async throws -> TestWorld {
        var world = try WorldBuilder(spec: spec).build()
        try edit(&world.objects)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-test-\(UUID().uuidString)")
        let store = LocalDirectoryStore(root: root)
        try await world.write(to: store)
        let keys = StaticPublicKeySource(keys: try PublicKeyList.decode(world.publicKeysJSON, file: "world"))
        return TestWorld(world: world, root: root, store: store, keys: keys)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    var manifest: WorldManifest { world.manifest }

    /// Validates one chain over the whole world and returns every event.
    func validate(_ chain: DigestChain, checkUnreferenced: Bool = true, concurrency: Int = 8,
                  keys: (any PublicKeySource)? = nil) async throws -> (events: [ValidationEvent], outcome: ValidationOutcome) {
        var events = [ValidationEvent]()
        let validator = ChainValidator(store: store, keys: keys ?? self.keys, concurrency: concurrency)
        let outcome = try await validator.validate(ValidationRequest(chain: chain, start: manifest.start, end: manifest.end,
                                                                     checkUnreferenced: checkUnreferenced)) { events.append($0) }
        return (events, outcome)
    }

    /// The chain's standard digest locations, oldest first.
    func digests(of chain: DigestChain) -> [ObjectLocation] {
        world.objects.keys.filter { chain.digestKeyName($0.key).map { !$0.isBackfill } ?? false && $0.bucket == chain.bucket }.sorted()
    }
}

extension World.Object {
    /// The uncompressed body, edited and compressed again (the signature is left as it was).
    mutating func editJSON(_ edit: (inout String) -> Void) throws {
        var text = String(decoding: try Gzip.inflate(body), as: UTF8.self)
        edit(&text)
        body = Gzip.compress(Array(text.utf8))
    }
}
