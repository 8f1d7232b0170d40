import TrailWardenAWS
import TrailWardenVocabulary

/// Publishes a notice as CloudWatch metrics, for CloudWatch alarms and dashboards.
///
/// Per category (`InvalidDigests`, `InvalidLogs`, …), plus `ScanErrors` and
/// `ChainsValidated`: one value organization-wide (no dimensions) and one per
/// account (dimension `AccountId`), zeros included, so per-account alarms
/// always have data. `ScanCompleted` = 1 organization-wide is the heartbeat
/// for an alarm that treats missing data as breaching. A test notice publishes
/// only `AlarmTest` = 1, so testing never moves the real metrics. Every value
/// is a Count stamped with the scan's end.
public struct CloudWatchAlarmSink: AlarmSink {
    public let client: CloudWatchClient
    public let namespace: String
    public let region: String

    public init(client: CloudWatchClient, namespace: String, region: String) {
        self.client = client
        self.namespace = namespace
        self.region = region
    }

    public var target: String { "cloudwatch:\(namespace)@\(region)" }

    /// Zeros and the ScanCompleted heartbeat are published after every scan, so alarms
    /// on missing data catch a scan that never ran.
    public var announcesQuietScans: Bool { true }

    public func deliver(_ notice: AlarmNotice) async throws {
        do {
            try await client.putMetricData(namespace: namespace, Self.metrics(for: notice))
        } catch {
            throw AlarmDeliveryError(target: target, reason: "\(error)")
        }
    }

    /// The values that announce `notice`.
    static func metrics(for notice: AlarmNotice) -> [MetricDatum] {
        func datum(_ name: String, _ value: Int, account: String? = nil) -> MetricDatum {
            MetricDatum(name: name, value: Double(value), unit: "Count", dimensions: account.map { ["AccountId": $0] } ?? [:],
                        timestamp: notice.finishedAt)
        }
        guard !notice.isTest else { return [datum("AlarmTest", 1)] }

        var figures = [String: AlarmNotice.AccountFigures]()
        for account in notice.accounts { figures[account.accountID] = account }
        // An account with findings but no figures still gets its values, so no finding is invisible per account.
        let accounts = Set(figures.keys).union(notice.findings.map(\.accountID)).sorted()
        var counts = [String: [FindingCategory: Int]]()
        for finding in notice.findings { counts[finding.accountID, default: [:]][finding.category, default: 0] += 1 }

        var data = [MetricDatum]()
        for category in FindingCategory.allCases {
            data.append(datum(category.metricName, notice.findings.count { $0.category == category }))
            data += accounts.map { datum(category.metricName, counts[$0]?[category] ?? 0, account: $0) }
        }
        data.append(datum("ScanErrors", notice.accounts.reduce(notice.scanErrors) { $0 + $1.errors }))
        data += accounts.map { datum("ScanErrors", figures[$0]?.errors ?? 0, account: $0) }
        data.append(datum("ChainsValidated", notice.accounts.reduce(0) { $0 + $1.chainsValidated }))
        data += accounts.map { datum("ChainsValidated", figures[$0]?.chainsValidated ?? 0, account: $0) }
        data.append(datum("ScanCompleted", 1))
        return data
    }
}
