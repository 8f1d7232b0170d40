import Foundation
import Testing
import TrailWardenTestSupport
import TrailWardenVocabulary
@testable import TrailWardenStorage

@Suite struct LocalDirectoryStoreTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-store-\(UUID().uuidString)")
    var store: LocalDirectoryStore { LocalDirectoryStore(root: root) }

    struct Collect: BodyConsumer {
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
        for key in ["../escape", "a/../../b", "a//b", "x.metadata.json", "", ".", "..", "a/.", "a/./b", "./a", "a/..", "a/", "/a",
                    "a/x.metadata.json", "\u{0}zz/a", "é/../a"] {
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

    /// Names of dots other than `.` and `..`, and names beginning with a dot, are ordinary names.
    @Test func dotNamesThatAreNotSegmentsRoundTrip() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        for key in [".../a", "a/...", ".hidden", "a/.b/..c", "a/b.", "x.metadata.json.gz", "é/.../a"] {
            let location = ObjectLocation(bucket: "b", key: key)
            try await store.put(location, body: Array(key.utf8), metadata: [:])
            #expect(try await store.get(location).body == Array(key.utf8), "\(key)")
        }
        #expect(try await store.allKeys(bucket: "b", prefix: "").sorted() == [".../a", ".hidden", "a/...", "a/.b/..c", "a/b.", "x.metadata.json.gz", "é/.../a"].sorted())
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

/// What the file system may hold besides regular files and folders, and how it is listed and read.
@Suite struct LocalDirectoryStoreFileSystemTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-store-fs-\(UUID().uuidString)")
    var store: LocalDirectoryStore { LocalDirectoryStore(root: root) }

    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    func expectError(_ kind: ObjectStoreError.Kind, naming fragment: String, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("no error")
        } catch let error as ObjectStoreError {
            #expect(error.kind == kind)
            #expect(error.description.contains(fragment), "\(error)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func symbolicLinkedFilesAndFoldersAreListedAndRead() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try await store.put(ObjectLocation(bucket: "elsewhere", key: "day/a"), body: [1], metadata: ["signature": "s"])
        try await store.put(ObjectLocation(bucket: "b", key: "p/real"), body: [2], metadata: [:])
        try FileManager.default.createSymbolicLink(atPath: path("b/p/day"), withDestinationPath: path("elsewhere/day"))
        try FileManager.default.createSymbolicLink(atPath: path("b/p/file"), withDestinationPath: path("b/p/real"))
        #expect(try await store.allKeys(bucket: "b", prefix: "p/") == ["p/day/a", "p/file", "p/real"])
        let linked = try await store.get(ObjectLocation(bucket: "b", key: "p/day/a"))
        #expect(linked.body == [1] && linked.metadata == ["signature": "s"])
    }

    @Test func aCycleOfLinksOrABrokenLinkIsAnErrorNotAnAbsence() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try await store.put(ObjectLocation(bucket: "b", key: "p/x/real"), body: [1], metadata: [:])
        try FileManager.default.createSymbolicLink(atPath: path("b/p/x/up"), withDestinationPath: path("b/p"))
        await expectError(.invalidResponse, naming: "\(path("b/p/x/up")) is a cycle of symbolic links") { _ = try await store.allKeys(bucket: "b", prefix: "p/") }
        try FileManager.default.removeItem(atPath: path("b/p/x/up"))
        try FileManager.default.createSymbolicLink(atPath: path("b/p/x/gone"), withDestinationPath: path("b/nowhere"))
        await expectError(.unavailable, naming: "\(path("b/p/x/gone")) is a broken symbolic link") { _ = try await store.allKeys(bucket: "b", prefix: "p/") }
        await expectError(.unavailable, naming: "broken symbolic link") { _ = try await store.get(ObjectLocation(bucket: "b", key: "p/x/gone")) }
        // A folder outside the listing is not entered.
        #expect(try await store.allKeys(bucket: "b", prefix: "p/x/r") == ["p/x/real"])
    }

    @Test func aFIFOIsRefusedWithoutBeingOpened() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try await store.put(ObjectLocation(bucket: "b", key: "p/real"), body: [1], metadata: [:])
        #expect(mkfifo(path("b/p/fifo"), 0o644) == 0)
        await expectError(.invalidResponse, naming: "\(path("b/p/fifo")) is a FIFO, not a regular file") { _ = try await store.get(ObjectLocation(bucket: "b", key: "p/fifo")) }
        await expectError(.invalidResponse, naming: "is a FIFO") { _ = try await store.allKeys(bucket: "b", prefix: "p/") }
        #expect(mkfifo(path("b/p/real.metadata.json"), 0o644) == 0)
        await expectError(.invalidResponse, naming: "real.metadata.json is a FIFO") { _ = try await store.get(ObjectLocation(bucket: "b", key: "p/real")) }
    }

    @Test func namesThatAreNotUTF8HaveTheirOwnKeys() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try await store.put(ObjectLocation(bucket: "b", key: "p/ok\u{0}ffname"), body: [9], metadata: [:])
        try await store.put(ObjectLocation(bucket: "b", key: "p/é"), body: [8], metadata: [:])
        let names = try FileManager.default.contentsOfDirectory(atPath: path("b/p")).count
        #expect(names == 2)
        #expect(try await store.allKeys(bucket: "b", prefix: "p/") == ["p/ok\u{0}ffname", "p/é"])
        #expect(try await store.get(ObjectLocation(bucket: "b", key: "p/ok\u{0}ffname")).body == [9])
        // Escapes of bytes that are valid UTF-8 would be a second key for "é": they name nothing.
        for key in ["p/\u{0}c3\u{0}a9", "p/ok\u{0}FFname", "p/ok\u{0}"] {
            await expectError(.notFound, naming: "cannot exist") { _ = try await store.get(ObjectLocation(bucket: "b", key: key)) }
        }
        #expect(LocalFileName.keyText(of: Array("plain".utf8)) == "plain")
        #expect(KeyText.escaped("s3://b/p/ok\u{0}ffname") == "s3://b/p/ok\\xffname")
    }

    @Test func aMissingFileIsNotFoundAndAFolderIsNoObject() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try await store.put(ObjectLocation(bucket: "b", key: "p/q/r"), body: [1], metadata: [:])
        for key in ["p/q/missing", "p/q", "p/q/r/deeper", "nope/x"] {
            await expectError(.notFound, naming: "does not exist") { _ = try await store.get(ObjectLocation(bucket: "b", key: key)) }
        }
        await expectError(.noSuchBucket, naming: "no such bucket") { _ = try await store.get(ObjectLocation(bucket: "nobucket", key: "x")) }
    }
}

@Suite struct KeyTextTests {
    @Test func ordinaryKeysAreUnchanged() {
        for key in ["s3://b/AWSLogs/1/CloudTrail/us-east-1/2026/01/01/1_CloudTrail_us-east-1_20260101T0005Z_ab.json.gz",
                    "s3://b/é ü/日本/a\\b", "s3://b/a\\", "s3://b/100%/x y"] {
            #expect(KeyText.escaped(key) == key)
        }
    }

    @Test func lineBreakingAndDisguisingCharactersAreEscaped() {
        #expect(KeyText.escaped("a\nb\tc\rd") == "a\\nb\\tc\\rd")
        #expect(KeyText.escaped("a\u{1b}[31mb\u{7f}") == "a\\x1b[31mb\\x7f")
        #expect(KeyText.escaped("a\u{85}b\u{2028}c\u{202e}d") == "a\\u{0085}b\\u{2028}c\\u{202e}d")
    }

    @Test func aBackslashIsDoubledOnlyWhereItWouldReadAsAnEscape() {
        #expect(KeyText.escaped("a\\nb") == "a\\\\nb")
        #expect(KeyText.escaped("a\\\nb") == "a\\\\\\nb")
        #expect(KeyText.escaped("a\\\\b") == "a\\\\\\b")
        #expect(KeyText.escaped("a\\x") == "a\\\\x")
        #expect(KeyText.escaped("a\\b") == "a\\b")
    }
}
