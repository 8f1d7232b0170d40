import Foundation
import TrailWardenHTTP
import TrailWardenVocabulary

/// What `/echo` saw of a request.
struct Echo: Decodable {
    let method: String
    let path: String
    let headers: [[String]]
    let body_base64: String

    init(_ response: HTTPResponse) throws {
        self = try JSONDecoder().decode(Echo.self, from: Data(response.body))
    }

    var headerNames: [String] { headers.map { $0[0] } }
    var body: [UInt8] { Array(Data(base64Encoded: body_base64) ?? Data()) }

    func values(_ name: String) -> [String] {
        headers.filter { $0[0].lowercased() == name.lowercased() }.map { $0[1] }
    }
}

/// Checks a streamed body against the server's `i % 251` pattern without keeping it.
struct PatternConsumer: BodyConsumer {
    var byteCount = 0
    var pieceCount = 0
    var largestPiece = 0
    var matchesPattern = true

    mutating func consume(_ piece: UnsafeRawBufferPointer) throws {
        for (offset, byte) in piece.enumerated() where byte != UInt8((byteCount + offset) % 251) {
            matchesPattern = false
        }
        byteCount += piece.count
        pieceCount += 1
        largestPiece = max(largestPiece, piece.count)
    }

    mutating func reset() { self = PatternConsumer() }
}

/// Fails the test if called: for responses whose body must not be streamed.
struct UnusedConsumer: BodyConsumer {
    var called = false

    mutating func begin(headers: [(name: String, value: String)]) throws {
        called = true
    }

    mutating func consume(_ piece: UnsafeRawBufferPointer) throws {
        called = true
    }

    mutating func reset() { called = true }
}

/// Throws after receiving its first piece.
struct FailingConsumer: BodyConsumer {
    struct Refused: Error, Equatable {}
    var calls = 0

    mutating func consume(_ piece: UnsafeRawBufferPointer) throws {
        calls += 1
        throw Refused()
    }

    mutating func reset() {}
}

/// Keeps everything: for bodies known to be small.
typealias CollectingConsumer = BodyCollector

extension BodyCollector {
    init() { self.init(limit: 64 << 20, subject: "test body") }
}

/// The `HTTPError` that `body` throws, or nil.
func httpError(_ body: () async throws -> Void) async -> HTTPError? {
    do {
        try await body()
        return nil
    } catch let error as HTTPError {
        return error
    } catch {
        return nil
    }
}
