import Foundation
import Testing
import TrailWardenCrypto
import TrailWardenGzip
import TrailWardenStorage
@testable import TrailWardenCore

/// Log verifications reuse inflaters and hash contexts (`InflatingHasherPool`): whatever the last
/// body did to one, the next body must get the answer a fresh one gives.
@Suite struct InflatingHasherReuseTests {
    let text = Array(String(repeating: "{\"eventName\":\"GetObject\"} ", count: 3_000).utf8)
    var good: [UInt8] { Gzip.compress(text) }
    var expected: String { Digests.sha256Hex(text) }

    func corrupt() -> [UInt8] {
        var bytes = good
        bytes[bytes.count / 2] ^= 0xff
        return bytes
    }

    /// Feeds `body` to a consumer over the pool's one hasher, and gives the hasher back.
    func outcome(of body: [UInt8], pool: InflatingHasherPool, confirming: Bool = false) -> LogFileVerifier.Outcome? {
        let hasher = pool.take(bufferSize: 1024)
        defer { pool.give(hasher) }
        var consumer = HashingInflater(hasher, confirming: confirming)
        do {
            try body.withUnsafeBytes { try consumer.consume($0) }
        } catch {
            return nil
        }
        return consumer.outcome(expected: expected)
    }

    @Test func thePoolHandsBackTheSameHasherReset() {
        let pool = InflatingHasherPool(capacity: 1)
        let first = pool.take(bufferSize: 1024)
        first.hash.update(Array("left over".utf8))
        pool.give(first)
        let again = pool.take(bufferSize: 1024)
        #expect(again === first)
        #expect(again.hash.finalizeHex() == Digests.sha256Hex([UInt8]()))
        // Another buffer size gets a hasher of its own.
        pool.give(again)
        #expect(pool.take(bufferSize: 4096) !== first)
    }

    @Test func aCorruptTruncatedOrExtendedBodyThenAGoodOneOnTheSameHasher() {
        let pool = InflatingHasherPool(capacity: 1)
        #expect(outcome(of: corrupt(), pool: pool) == nil)
        #expect(outcome(of: good, pool: pool) == .valid)
        #expect(outcome(of: Array(good.prefix(good.count / 2)), pool: pool) == .invalid(.hashMismatch))
        #expect(outcome(of: good, pool: pool) == .valid)
        #expect(outcome(of: good + Gzip.compress(Array("more".utf8)), pool: pool, confirming: true) == .invalid(.dataAfterFirstMember))
        #expect(outcome(of: good, pool: pool) == .valid)
        #expect(outcome(of: corrupt(), pool: pool, confirming: true) == .invalid(.invalidFormat))
        #expect(outcome(of: good, pool: pool, confirming: true) == .valid)
    }

    @Test func verificationsInTurnGetTheirOwnAnswers() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hasher-reuse-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = LocalDirectoryStore(root: root)
        let bodies: [(String, [UInt8], LogFileVerifier.Outcome)] = [
            ("corrupt.json.gz", corrupt(), .invalid(.invalidFormat)),
            ("good.json.gz", good, .valid),
            ("truncated.json.gz", Array(good.prefix(good.count / 2)), .invalid(.hashMismatch)),
            ("good-again.json.gz", good, .valid),
        ]
        for (key, body, _) in bodies { try await store.put(ObjectLocation(bucket: "b", key: key), body: body, metadata: [:]) }
        for _ in 0..<3 {
            for (key, _, answer) in bodies {
                let outcome = try await LogFileVerifier.verify(LogFileReference(bucket: "b", key: key, hashValue: expected), in: store)
                #expect(outcome == answer, "\(key)")
            }
        }
    }
}
