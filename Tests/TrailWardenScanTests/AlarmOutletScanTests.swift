import Foundation
import Testing
import TrailWardenAlarms
import TrailWardenAWS
import TrailWardenCore
import TrailWardenState
import TrailWardenTestSupport
@testable import TrailWardenScan
import TrailWardenVocabulary

/// Security Hub and EventBridge through the dispatcher and a real state, against
/// moto: each finding is imported and put on the bus once across scans, and a
/// finding TrailWarden resolves is archived in Security Hub once.
@Suite struct AlarmOutletScanTests {
    private static let chain = DigestChain(bucket: "outlet-bucket", prefix: nil, organizationID: nil, accountID: "111122223333",
                                           trailName: "org-trail", homeRegion: "us-east-1", sourceRegion: "us-east-1")
    private static let trail = "arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail"
    private static let start = Date(timeIntervalSince1970: 1_767_225_600)

    private static func result(_ findings: [RecordedFinding]) -> ChainResult {
        ChainResult(chain: chain, trailARN: trail, rangeStart: start, rangeEnd: start.addingTimeInterval(7200), tally: ValidationTally(),
                    findings: findings)
    }

    @Test func findingsReachBothOutletsOnceAndAResolutionIsArchivedOnce() async throws {
        let region = "sa-east-1"
        let bus = "tw-outlets-\(UUID().uuidString.prefix(8))"
        let queue = try #require((try Emulator.admin(["event-queue", bus, region]) as? [String: String])?["QueueUrl"])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tw-outlets-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let state = try SQLiteStateStore(path: path)
        let configuration = try ScanConfiguration.parse(Data(#"""
            {"organization": {}, "roles": {"default": "A"}, "alarms": {"securityHub": {"region": "\#(region)"},
             "eventBridge": {"eventBusName": "\#(bus)", "region": "\#(region)"}}}
            """#.utf8), file: "accounts.json")
        let sinks = configuration.alarms.sinks(transport: try Emulator.transport())
        #expect(sinks.count == 3)
        let dispatcher = AlarmDispatcher(sinks: sinks, state: state, retryDelay: { _ in .zero })
        let a = RecordedFinding(kind: .logHashMismatch, object: "s3://outlet-bucket/a.json.gz", message: "Log file\ta\tINVALID: hash value doesn't match")
        let b = RecordedFinding(kind: .logNotFound, object: "s3://outlet-bucket/b.json.gz", message: "Log file\tb\tINVALID: not found")
        func scan(_ findings: [RecordedFinding]?, at offset: TimeInterval) async throws -> [String: AlarmOutcomeRecord] {
            let run = try await state.beginRun(caller: "test", request: "{}", at: Self.start.addingTimeInterval(offset))
            if let findings { try await state.record(Self.result(findings), run: run, at: Self.start.addingTimeInterval(offset + 1)) }
            let figures = AlarmDispatcher.ScanFigures(run: run, caller: "test", finishedAt: Self.start.addingTimeInterval(offset + 2),
                                                      accounts: [], scanErrors: 0)
            let outcomes = try await dispatcher.dispatch(figures, send: true)
            return Dictionary(uniqueKeysWithValues: outcomes.map { ($0.target, $0) })
        }
        let hub = "securityhub:default@\(region)", resolved = "securityhub-resolved:default@\(region)", events = "eventbridge:\(bus)@\(region)"

        let first = try await scan([a, b], at: 10_000)
        #expect(first[hub]?.status == .delivered && first[hub]?.findings == 2)
        #expect(first[resolved]?.status == .nothingNew && first[events]?.status == .delivered)
        // The second run re-examines the whole range and no longer sees b: b is resolved.
        let second = try await scan([a], at: 20_000)
        #expect(second[hub]?.status == .nothingNew)
        #expect(second[resolved]?.status == .delivered && second[resolved]?.findings == 1)
        #expect(second[events]?.status == .delivered && second[events]?.findings == 0)
        let third = try await scan(nil, at: 30_000)
        #expect(third[resolved]?.status == .nothingNew && third[hub]?.status == .nothingNew)

        let stored = try await state.findings(chain: nil)
        let uid = { (finding: RecordedFinding) in
            FindingIdentity(accountID: Self.chain.accountID, trailARN: Self.trail, sourceRegion: "us-east-1", kind: finding.kind,
                            object: finding.object).uid
        }
        #expect(stored.count == 2)
        let held = try #require(try Emulator.admin(["securityhub-findings", region]) as? [[String: Any]])
        let states = Dictionary(held.map { ($0["Id"] as? String ?? "", $0["RecordState"] as? String ?? "") }, uniquingKeysWith: { $1 })
        #expect(states[uid(a)] == "ACTIVE" && states[uid(b)] == "ARCHIVED")

        let received = try #require(try Emulator.admin(["receive", queue, region]) as? [[String: Any]])
        let findingEvents = received.filter { $0["detail-type"] as? String == "CloudTrail Integrity Finding" }
        let uids = findingEvents.compactMap { (($0["detail"] as? [String: Any])?["finding_info"] as? [String: Any])?["uid"] as? String }
        // The outcomes above show each finding was delivered once; a call the transport
        // retried (a slow emulator) may still put an event twice, so ids are compared as a set.
        #expect(Set(uids) == [uid(a), uid(b)])
        let runs = received.filter { $0["detail-type"] as? String == "TrailWarden Scan Completed" }
            .compactMap { ($0["detail"] as? [String: Any])?["runId"] as? Int }
        #expect(Set(runs).count == 3)
    }
}
