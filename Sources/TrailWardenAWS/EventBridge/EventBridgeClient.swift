import Foundation

/// One event for PutEvents.
public struct EventBridgeEntry: Sendable, Equatable {
    public var source: String
    public var detailType: String
    /// A JSON object.
    public var detail: String
    public var resources: [String]
    public var time: Date
    public var eventBusName: String

    public init(source: String, detailType: String, detail: String, resources: [String], time: Date, eventBusName: String) {
        self.source = source
        self.detailType = detailType
        self.detail = detail
        self.resources = resources
        self.time = time
        self.eventBusName = eventBusName
    }

    /// The size EventBridge counts against its 256 KB limit: the time, and the UTF-8
    /// bytes of the source, detail type, detail and resources.
    var size: Int {
        14 + source.utf8.count + detailType.utf8.count + detail.utf8.count + resources.reduce(0) { $0 + $1.utf8.count }
    }
}

/// EventBridge PutEvents, for the `eventBridge` alarm target.
///
/// Sends entries in as many calls as EventBridge's limits need (10 entries and
/// 256 KB a call). EventBridge answers each entry with an event id or an error;
/// the refused entries are returned with their position, not thrown.
public struct EventBridgeClient: Sendable {
    private let json: JSONProtocol

    public static let entriesPerCall = 10
    public static let bytesPerCall = 256 * 1024

    public init(transport: AWSTransport, region: String) {
        json = JSONProtocol(transport: transport, service: "events", region: region, targetPrefix: "AWSEvents")
    }

    /// An entry EventBridge refused: its index in the array given to `putEvents`.
    public struct FailedEntry: Sendable, Equatable, CustomStringConvertible {
        public var index: Int
        public var errorCode: String
        public var errorMessage: String

        public var description: String { "event \(index + 1): \(errorCode): \(errorMessage)" }
    }

    /// Sends `entries` and returns those EventBridge refused.
    public func putEvents(_ entries: [EventBridgeEntry]) async throws -> [FailedEntry] {
        var failed = [FailedEntry]()
        for range in Self.batches(entries) {
            let input = entries[range].map { entry -> [String: Any] in
                ["Source": entry.source, "DetailType": entry.detailType, "Detail": entry.detail, "Resources": entry.resources,
                 "Time": entry.time.timeIntervalSince1970.rounded(.down), "EventBusName": entry.eventBusName]
            }
            let answer = try await json.call("PutEvents", ["Entries": input])
            let results = answer["Entries"] as? [[String: Any]] ?? []
            let failedCount = (answer["FailedEntryCount"] as? NSNumber)?.intValue ?? 0
            guard results.count == range.count || failedCount == 0 else {
                throw AWSError(code: AWSError.invalidResponseCode, message: "PutEvents says \(failedCount) events failed but answers "
                               + "\(results.count) of \(range.count)", status: 200)
            }
            for (offset, result) in results.enumerated() {
                guard let code = result["ErrorCode"] as? String, !code.isEmpty else { continue }
                failed.append(FailedEntry(index: range.lowerBound + offset, errorCode: code, errorMessage: result["ErrorMessage"] as? String ?? ""))
            }
        }
        return failed
    }

    /// Consecutive ranges of `entries` of at most `entriesPerCall` entries and `bytesPerCall` bytes.
    static func batches(_ entries: [EventBridgeEntry]) -> [Range<Int>] {
        var ranges = [Range<Int>]()
        var start = 0
        var bytes = 0
        for (index, entry) in entries.enumerated() {
            if index > start && (index - start == entriesPerCall || bytes + entry.size > bytesPerCall) {
                ranges.append(start..<index)
                start = index
                bytes = 0
            }
            bytes += entry.size
        }
        if start < entries.count { ranges.append(start..<entries.count) }
        return ranges
    }
}
