import Foundation
import Testing
import TrailWardenCrypto
@testable import TrailWardenGzip

@Suite struct GzipTests {
    let text = Array(String(repeating: "CloudTrail digest chain ", count: 5_000).utf8)

    @Test func roundTripsAndIsDeterministic() throws {
        let compressed = Gzip.compress(text)
        #expect(compressed.count < text.count)
        #expect(Gzip.compress(text) == compressed)
        #expect(try Gzip.inflate(compressed) == text)
    }

    @Test func streamsInSmallPieces() throws {
        let compressed = Gzip.compress(text)
        let inflater = GzipInflater(outputBufferSize: 1024)
        var out = [UInt8]()
        for start in stride(from: 0, to: compressed.count, by: 13) {
            try inflater.update(compressed[start..<min(start + 13, compressed.count)]) { out.append(contentsOf: $0) }
        }
        try inflater.finish()
        #expect(out == text)
    }

    @Test func rejectsDataAfterTheFirstMember() {
        let member = Gzip.compress(text)
        #expect(throws: GzipError.dataAfterFirstMember) { try Gzip.inflate(member + Gzip.compress(Array("extra".utf8))) }
        #expect(throws: GzipError.dataAfterFirstMember) { try Gzip.inflate(member + [0]) }
    }

    @Test func rejectsTruncatedEmptyAndCorruptInput() {
        let member = Gzip.compress(text)
        #expect(throws: GzipError.truncated) { try Gzip.inflate(Array(member.dropLast(4))) }
        #expect(throws: GzipError.truncated) { try Gzip.inflate([UInt8]()) }
        #expect(throws: GzipError.self) { try Gzip.inflate(Array("not gzip at all".utf8)) }
        var flipped = member
        flipped[flipped.count - 6] ^= 0xff
        #expect(throws: GzipError.self) { try Gzip.inflate(flipped) }
    }

    @Test func enforcesOutputLimit() {
        #expect(throws: GzipError.outputLimitExceeded(100)) { try Gzip.inflate(Gzip.compress(text), limit: 100) }
    }

    /// The 1 GiB rule at test size: 64 MiB inflated through a 16 KiB buffer, hashed
    /// as it streams, with no chunk larger than the buffer.
    @Test func inflatesLargeStreamsInBoundedPieces() throws {
        let block = [UInt8]((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) })
        let expected = MessageDigest(.sha256)
        var source = [UInt8]()
        for _ in 0..<64 {
            source.append(contentsOf: block)
            expected.update(block)
        }
        let compressed = Gzip.compress(source, level: 1)
        source = []
        let inflater = GzipInflater(outputBufferSize: 16 * 1024)
        let actual = MessageDigest(.sha256)
        var largestPiece = 0
        for start in stride(from: 0, to: compressed.count, by: 32 * 1024) {
            try inflater.update(compressed[start..<min(start + 32 * 1024, compressed.count)]) { piece in
                largestPiece = max(largestPiece, piece.count)
                actual.update(piece)
            }
        }
        try inflater.finish()
        #expect(inflater.inflatedByteCount == 64 << 20)
        #expect(largestPiece <= 16 * 1024)
        #expect(actual.finalizeHex() == expected.finalizeHex())
    }

    @Test func aResetInflaterInflatesTheNextStreamAfterAnyFailure() throws {
        let member = Gzip.compress(text)
        var corrupt = member
        corrupt[corrupt.count / 2] ^= 0xff
        let inflater = GzipInflater(outputBufferSize: 1024)
        func inflate(_ bytes: [UInt8]) throws -> [UInt8] {
            inflater.reset()
            var out = [UInt8]()
            try inflater.update(bytes) { out.append(contentsOf: $0) }
            try inflater.finish()
            return out
        }
        #expect(throws: GzipError.self) { try inflate(corrupt) }
        #expect(try inflate(member) == text)
        #expect(inflater.inflatedByteCount == text.count)
        #expect(throws: GzipError.truncated) { try inflate(Array(member.prefix(member.count / 2))) }
        #expect(try inflate(member) == text)
        #expect(throws: GzipError.dataAfterFirstMember) { try inflate(member + member) }
        #expect(try inflate(member) == text)
        #expect(throws: GzipError.self) { try inflate(Array("not gzip at all".utf8)) }
        #expect(try inflate(member) == text)
    }
}
