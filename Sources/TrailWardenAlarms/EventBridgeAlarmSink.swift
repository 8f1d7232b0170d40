import Foundation
import TrailWardenAWS
import TrailWardenExports
import TrailWardenVocabulary

/// Puts findings and scans on an EventBridge bus, for rules that route them to
/// SNS, Lambda, Step Functions or a ticketing system.
///
/// After every scan (quiet ones too): one `CloudTrail Integrity Finding` event per
/// finding not yet announced here, with its OCSF Detection Finding as the detail,
/// then one `TrailWarden Scan Completed` event with the scan's figures. A test puts
/// one `TrailWarden Alarm Test` event. Events EventBridge refuses are put again
/// twice, then the delivery fails naming them; a retried delivery may put an event
/// twice, which `detail.finding_info.uid` lets a rule's target recognise.
public struct EventBridgeAlarmSink: AlarmSink {
    public let client: EventBridgeClient
    public let eventBusName: String
    public let region: String

    public init(client: EventBridgeClient, eventBusName: String, region: String) {
        self.client = client
        self.eventBusName = eventBusName
        self.region = region
    }

    public var target: String { "eventbridge:\(eventBusName)@\(region)" }

    /// The Scan Completed event is a heartbeat: rules on its absence catch a scan that never ran.
    public var announcesQuietScans: Bool { true }

    public func deliver(_ notice: AlarmNotice) async throws {
        try await AlarmDeliveryError.naming(target) {
            let refused = try await RefusedItems.send(try entries(for: notice)) { batch in
                try await client.putEvents(batch).map { (index: $0.index, reason: $0.description) }
            }
            guard refused.isEmpty else { throw AlarmDeliveryError(target: target, reason: RefusedItems.summary(refused, of: "events")) }
        }
    }

    /// The events that announce `notice`, the scan's last.
    func entries(for notice: AlarmNotice) throws -> [EventBridgeEntry] {
        let findings = notice.isTest ? [] : try notice.findings.map { try EventBridgeEvent(finding: $0.exported(in: notice)) }
        let counts = notice.findings.reduce(into: [FindingCategory: Int]()) { $0[$1.category, default: 0] += 1 }
        let scan = EventBridgeEvent.ScanSummary(
            runId: notice.runID, test: notice.isTest, caller: notice.caller, finishedAt: notice.finishedAt,
            newFindings: notice.isTest ? [:] : counts, accounts: notice.accounts.count,
            chainsValidated: notice.accounts.reduce(0) { $0 + $1.chainsValidated },
            errors: notice.isTest ? 0 : notice.accounts.reduce(notice.scanErrors) { $0 + $1.errors })
        return try (findings + [EventBridgeEvent(scan: scan)]).map { event in
            EventBridgeEntry(source: EventBridgeEvent.source, detailType: event.detailType, detail: event.detail,
                             resources: event.resources, time: event.time, eventBusName: eventBusName)
        }
    }
}
