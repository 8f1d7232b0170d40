import Foundation
import TrailWardenCore
import TrailWardenStorage
import TrailWardenVocabulary

/// A finding reduced to what must match between expectation and result.
public struct FindingKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var kind: FindingKind
    public var object: String
    public var count: Int?

    public init(kind: FindingKind, object: String, count: Int?) {
        self.kind = kind
        self.object = object
        self.count = count
    }

    public static func < (lhs: FindingKey, rhs: FindingKey) -> Bool { (lhs.object, lhs.kind.rawValue) < (rhs.object, rhs.kind.rawValue) }

    public var description: String { "\(kind) \(object)" + (count.map { " (\($0))" } ?? "") }
}

/// One chain's validation compared with what its world says must be found.
public struct ChainCheck: Sendable {
    public var chain: WorldChain
    public var expected: Set<FindingKey>
    public var actual: Set<FindingKey>
    public var tally: ValidationTally

    public var matches: Bool { expected == actual }
}

/// Validates every chain of a simulated world and compares the findings with
/// its manifest: the proof that the validator reports exactly what was done
/// to the world, no more and no less.
public enum WorldCheck {
    public static func run(_ manifest: WorldManifest, store: any ObjectStore, keys: any PublicKeySource,
                           checkUnreferenced: Bool, concurrency: Int = 16) async throws -> [ChainCheck] {
        var checks = [ChainCheck]()
        let validator = ChainValidator(store: store, keys: keys, concurrency: concurrency)
        for worldChain in manifest.chains {
            let request = ValidationRequest(chain: worldChain.chain, start: manifest.start, end: manifest.end, checkUnreferenced: checkUnreferenced)
            var actual = Set<FindingKey>()
            let outcome = try await validator.validate(request) { event in
                guard let kind = event.kind else { return }
                var count: Int?
                if case .digestsMissing(_, _, let missing, _, _) = event { count = missing }
                actual.insert(FindingKey(kind: kind, object: event.object?.description ?? "", count: count))
            }
            let expected = Set(worldChain.expectedFindings.filter { checkUnreferenced || !$0.needsCheckUnreferenced }
                .map { FindingKey(kind: $0.kind, object: $0.object, count: $0.count) })
            checks.append(ChainCheck(chain: worldChain, expected: expected, actual: actual, tally: outcome.tally))
        }
        return checks
    }
}
