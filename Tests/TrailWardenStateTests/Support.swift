import Foundation
import TrailWardenCore
@testable import TrailWardenState

/// A fresh directory per test, removed when the value goes away.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appending(path: "trailwarden-state-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    var statePath: String { url.appending(path: "state.sqlite").path(percentEncoded: false) }
}

enum Fixture {
    static func chain(bucket: String = "org-trail-bucket", account: String = "111122223333",
                      trail: String = "org-trail", region: String = "us-east-1",
                      organization: String? = "o-abc123", prefix: String? = "logs") -> DigestChain {
        DigestChain(bucket: bucket, prefix: prefix, organizationID: organization, accountID: account,
                    trailName: trail, homeRegion: "us-east-1", sourceRegion: region)
    }

    static func date(_ seconds: TimeInterval) -> Date { Date(timeIntervalSince1970: 1_700_000_000 + seconds) }

    static func checkpoint(_ name: String, end: TimeInterval) -> Checkpoint {
        Checkpoint(digestKey: "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/\(name).json.gz",
                   digestEndTime: date(end), signature: "sig-\(name)", sha256: "sha-\(name)")
    }

    static func result(_ chain: DigestChain, findings: [RecordedFinding] = [], checkpoint: Checkpoint? = nil,
                       error: String? = nil, range: ClosedRange<TimeInterval> = 0...3600, coverage: [CoverageSpan] = []) -> ChainResult {
        var tally = ValidationTally()
        tally.validDigests = 3
        tally.invalidLogs = findings.count
        tally.foundStart = date(0)
        tally.foundEnd = date(3600)
        return ChainResult(chain: chain, trailARN: "arn:aws:cloudtrail:us-east-1:111122223333:trail/\(chain.trailName)",
                           rangeStart: date(range.lowerBound), rangeEnd: date(range.upperBound), tally: tally, findings: findings,
                           newCheckpoint: checkpoint, error: error, coverage: coverage)
    }
}
