import TrailWardenStorage

/// The rule for a finding about an object's bytes: a proxy, a cache or a
/// flaky connection can hand back damaged bytes once, so a problem seen in a
/// body is reported only when two reads with the same raw SHA-256 both show
/// it. A read that validates settles it as valid; reads that keep differing
/// are an error, never a finding.
enum BodyConfirmation {
    /// One read of the object, hashed raw, and what it showed.
    struct Read<Verdict> {
        /// The raw (compressed) bytes' SHA-256, with anything else the verdict depends on.
        var identity: String
        var verdict: Verdict
        var showsProblem: Bool
    }

    /// Hashed reads to collect before giving up: two that agree, or a third to break a tie.
    static let maximumHashedReads = 3

    /// Rereads until two hashed reads agree on a problem or one validates.
    /// `first` is the first read when it was hashed (digests, which are few);
    /// log files are hashed only on their confirming reads, so that valid log
    /// files, nearly all of them, cost one read and one hash as before.
    static func confirm<Verdict>(_ location: ObjectLocation, first: Read<Verdict>?,
                                 reread: () async throws -> Read<Verdict>) async throws -> Verdict {
        var problems = first.map { [$0] } ?? []
        while problems.count < maximumHashedReads {
            let read = try await reread()
            if !read.showsProblem || problems.contains(where: { $0.identity == read.identity }) { return read.verdict }
            problems.append(read)
        }
        throw ObjectStoreError(.unavailable, location.description, "two reads of \(location) returned different bytes")
    }
}
