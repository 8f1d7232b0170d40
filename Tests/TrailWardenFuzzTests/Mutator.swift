import Foundation
@testable import TrailWardenSimulation

/// A small seeded mutation fuzzer: the same seed gives the same cases, so a
/// failure found in CI can be replayed with `scripts/fuzz`.
struct Mutator {
    /// The simulator's SplitMix64: reproducible from its seed.
    private var random: SeededRandom

    init(seed: UInt64) { random = SeededRandom(seed: seed) }

    mutating func next() -> UInt64 { random.next() }

    mutating func below(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }

    /// Characters that matter to the parsers under test: JSON's and INI's structure.
    static let structural = Array("{}[]\",:\\\n\r\t =#;[]/u0-e.".utf8)

    /// One to four mutations of a seed, spliced with `others` at times.
    mutating func mutate(_ seed: [UInt8], others: [[UInt8]]) -> [UInt8] {
        var bytes = seed
        for _ in 0...below(4) {
            switch below(9) {
            case 0 where !bytes.isEmpty:  // flip a bit
                bytes[below(bytes.count)] ^= 1 << UInt8(below(8))
            case 1 where !bytes.isEmpty:  // truncate
                bytes.removeLast(below(bytes.count) + 1)
            case 2:  // splice a piece of another seed in
                let other = others[below(others.count)]
                guard !other.isEmpty else { continue }
                let start = below(other.count), length = below(min(64, other.count - start)) + 1
                bytes.insert(contentsOf: other[start..<(start + length)], at: below(bytes.count + 1))
            case 3:  // insert a structural character
                bytes.insert(Self.structural[below(Self.structural.count)], at: below(bytes.count + 1))
            case 4:  // a huge number
                let number = ["1e999999999", "-0.0000e-99999", String(repeating: "9", count: 400), "18446744073709551616"][below(4)]
                bytes.insert(contentsOf: Array(number.utf8), at: below(bytes.count + 1))
            case 5:  // deep nesting
                let depth = [70, 600, 5000][below(3)]
                let open: UInt8 = below(2) == 0 ? UInt8(ascii: "[") : UInt8(ascii: "{")
                bytes.insert(contentsOf: [UInt8](repeating: open, count: depth), at: below(bytes.count + 1))
            case 6 where bytes.count > 1:  // duplicate a range
                let start = below(bytes.count), end = start + below(min(256, bytes.count - start))
                bytes.insert(contentsOf: bytes[start..<end], at: below(bytes.count + 1))
            case 7 where !bytes.isEmpty:  // delete a range
                let start = below(bytes.count), end = start + below(min(32, bytes.count - start) + 1)
                bytes.removeSubrange(start..<min(end, bytes.count))
            default:  // a random byte
                bytes.insert(UInt8(truncatingIfNeeded: next()), at: below(bytes.count + 1))
            }
        }
        return bytes
    }
}

/// How many cases and which seed: small and fixed in CI, larger through `scripts/fuzz`.
enum FuzzSettings {
    static var casesPerTarget: Int {
        ProcessInfo.processInfo.environment["TRAILWARDEN_FUZZ_CASES"].flatMap(Int.init) ?? 1500
    }

    static var seed: UInt64 {
        ProcessInfo.processInfo.environment["TRAILWARDEN_FUZZ_SEED"].flatMap(UInt64.init) ?? 1
    }

    /// Set by `scripts/fuzz`, which runs this suite alone.
    static var checksResidentMemory: Bool { ProcessInfo.processInfo.environment["TRAILWARDEN_FUZZ_CHECK_MEMORY"] == "1" }

    /// The process's resident memory in bytes (Linux), for a coarse bound on what the parsers allocate.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = text.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
