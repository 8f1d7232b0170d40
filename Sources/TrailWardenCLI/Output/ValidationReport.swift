import Foundation
import TrailWardenCore
import TrailWardenVocabulary

/// The `--format json` result of `validate`, documented in docs/validate-json.md.
struct ValidationReport: Encodable {
    /// A finding as `validate` reports it: what the event names (its object, digest kind
    /// and count), not a stored finding's history (see `StoredFinding`).
    struct Finding: Encodable, Equatable {
        var kind: FindingKind
        var object: String?
        var digestKind: String?
        var count: Int?
        var message: String
    }

    struct Gap: Encodable {
        var digestKind: String
        var from: String
        var to: String
    }

    var schemaVersion = 1
    var trailARN: String
    var chain: DigestChain
    var requestedStart: String
    var requestedEnd: String
    var foundStart: String?
    var foundEnd: String?
    var intact: Bool
    var counts: ValidationTally.Counts
    var findings: [Finding]
    var gaps: [Gap]

    /// The event as a finding; nil for what is not one (valid files, gaps).
    static func finding(_ event: ValidationEvent) -> Finding? {
        guard let kind = event.kind else { return nil }
        var digestKind: DigestKind?
        var count: Int?
        switch event {
        case .digestInvalid(_, let kind, _): digestKind = kind
        case .digestsMissing(_, let kind, let missing, _, _):
            digestKind = kind
            count = missing
        default: break
        }
        return Finding(kind: kind, object: event.object?.description, digestKind: digestKind?.rawValue, count: count, message: event.line)
    }

    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}

extension ValidationTally {
    /// The counts alone, for reports.
    struct Counts: Encodable {
        var validDigests, invalidDigests, validBackfillDigests, invalidBackfillDigests, validLogs, invalidLogs: Int
        var brokenLinks, additionalMissingDigests, unreferencedLogs: Int
    }

    var counts: Counts {
        Counts(validDigests: validDigests, invalidDigests: invalidDigests, validBackfillDigests: validBackfillDigests,
               invalidBackfillDigests: invalidBackfillDigests, validLogs: validLogs, invalidLogs: invalidLogs,
               brokenLinks: brokenLinks, additionalMissingDigests: additionalMissingDigests, unreferencedLogs: unreferencedLogs)
    }
}
