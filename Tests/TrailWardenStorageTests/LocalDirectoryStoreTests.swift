import Foundation
import Testing
@testable import TrailWardenStorage

@Suite struct LocalDirectoryStoreTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-store-\(UUID().uuidString)")
    var store: LocalDirectoryStore { LocalDirectoryStore(root: root) }

    struct Collect: ObjectBodyConsumer {
        var bytes = [UInt8]()
        var pieces = 0
        mutating func consume(_ piece: UnsafeRawBufferPointer) throws {
            bytes.append(contentsOf: piece)
            pieces += 1
        }

        mutating func reset() { self = Collect() }
    }

    @Test func putReadAndMetadataRoundTrip() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let location = ObjectLocation(bucket: "b", key: "AWSLogs/1/x.json.gz")
        try await store.put(location, body: [1, 2, 3], metadata: ["Signature": "ab", "signature-algorithm": "SHA256withRSA"])
        let object = try await store.get(location)
        #expect(object.body == [1, 2, 3])
        #expect(object.metadata == ["signature": "ab", "signature-algorithm": "SHA256withRSA"])
        #expect(try await store.metadata(of: location)["signature"] == "ab")
        let sidecar = root.appendingPathComponent("b/AWSLogs/1/x.json.gz.metadata.json")
        #expect(FileManager.default.fileExists(atPath: sidecar.path))
    }

    @Test func streamsInPiecesOfTheReadSize() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let location = ObjectLocation(bucket: "b", key: "big")
        try await store.put(location, body: [UInt8](repeating: 7, count: 10_000), metadata: [:])
        var collect = Collect()
        _ = try await LocalDirectoryStore(root: root, readSize: 1_000).read(location, into: &collect)
        #expect(collect.bytes.count == 10_000)
        #expect(collect.pieces == 10)
    }

    @Test func listsSortedAfterStartAfterAndSkipsSidecars() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        for key in ["p/2026/01/02/b", "p/2026/01/01/a", "p/2026/01/01/c", "q/z", "p-other/x"] {
            try await store.put(ObjectLocation(bucket: "b", key: key), body: [0], metadata: ["k": "v"])
        }
        #expect(try await store.allKeys(bucket: "b", prefix: "p/") == ["p/2026/01/01/a", "p/2026/01/01/c", "p/2026/01/02/b"])
        #expect(try await store.allKeys(bucket: "b", prefix: "p/", startAfter: "p/2026/01/01/a") == ["p/2026/01/01/c", "p/2026/01/02/b"])
        #expect(try await store.allKeys(bucket: "b", prefix: "p") == ["p-other/x", "p/2026/01/01/a", "p/2026/01/01/c", "p/2026/01/02/b"])
        #expect(try await store.allKeys(bucket: "b", prefix: "nothing/") == [])
    }

    @Test func missingObjectsBucketsAndUnsafeKeysAreTyped() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try await store.put(ObjectLocation(bucket: "b", key: "k"), body: [0], metadata: [:])
        await #expect(throws: ObjectStoreError.self) { _ = try await store.get(ObjectLocation(bucket: "b", key: "missing")) }
        do {
            _ = try await store.get(ObjectLocation(bucket: "b", key: "missing"))
        } catch let error as ObjectStoreError {
            #expect(error.kind == .notFound)
        }
        for key in ["../escape", "a/../../b", "a//b", "x.metadata.json", ""] {
            do {
                _ = try await store.get(ObjectLocation(bucket: "b", key: key))
                Issue.record("read \(key)")
            } catch let error as ObjectStoreError {
                #expect(error.kind == .notFound)
            }
        }
        do {
            _ = try await store.allKeys(bucket: "nope", prefix: "")
            Issue.record("listed a missing bucket")
        } catch let error as ObjectStoreError {
            #expect(error.kind == .noSuchBucket)
        }
    }

    @Test func badSidecarIsAnErrorNamingTheFile() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let location = ObjectLocation(bucket: "b", key: "k")
        try await store.put(location, body: [0], metadata: [:])
        try Data("[1]".utf8).write(to: root.appendingPathComponent("b/k.metadata.json"))
        do {
            _ = try await store.get(location)
            Issue.record("accepted a bad sidecar")
        } catch let error as ObjectStoreError {
            #expect(error.kind == .invalidResponse)
            #expect(error.subject.hasSuffix("b/k.metadata.json"))
        }
    }
}
