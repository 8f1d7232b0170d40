import Foundation
import TrailWardenVocabulary

/// One CloudWatch metric value.
public struct MetricDatum: Sendable, Hashable {
    public var name: String
    public var value: Double
    public var unit: String
    public var dimensions: [String: String]
    public var timestamp: Date?

    public init(name: String, value: Double, unit: String = "Count", dimensions: [String: String] = [:], timestamp: Date? = nil) {
        self.name = name
        self.value = value
        self.unit = unit
        self.dimensions = dimensions
        self.timestamp = timestamp
    }
}

/// CloudWatch PutMetricData, for metrics and the scan heartbeat.
public struct CloudWatchClient: Sendable {
    private let query: QueryProtocol
    /// Values sent per PutMetricData call. AWS accepts up to 1,000 values and
    /// 1 MB per call; 500 values of a few dimensions each encode to about
    /// 200 KB, far below both limits, even with long names and dimension values.
    static let batchSize = 500

    public init(transport: AWSTransport, region: String) {
        query = QueryProtocol(transport: transport, service: "monitoring", region: region, version: "2010-08-01")
    }

    /// Sends `data` in as many calls as the batch size needs.
    public func putMetricData(namespace: String, _ data: [MetricDatum]) async throws {
        for start in stride(from: 0, to: data.count, by: Self.batchSize) {
            var parameters = [("Namespace", namespace)]
            for (index, datum) in data[start..<min(start + Self.batchSize, data.count)].enumerated() {
                let member = "MetricData.member.\(index + 1)"
                parameters += [("\(member).MetricName", datum.name), ("\(member).Value", String(datum.value)), ("\(member).Unit", datum.unit)]
                if let timestamp = datum.timestamp { parameters.append(("\(member).Timestamp", CloudTrailTime.display(timestamp))) }
                for (dimensionIndex, (name, value)) in datum.dimensions.sorted(by: { $0.key < $1.key }).enumerated() {
                    parameters += [("\(member).Dimensions.member.\(dimensionIndex + 1).Name", name),
                                   ("\(member).Dimensions.member.\(dimensionIndex + 1).Value", value)]
                }
            }
            _ = try await query.call("PutMetricData", parameters)
        }
    }
}
