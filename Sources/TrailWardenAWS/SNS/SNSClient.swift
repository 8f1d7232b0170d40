import Foundation

/// SNS Publish, for alarms.
public struct SNSClient: Sendable {
    private let query: QueryProtocol

    public init(transport: AWSTransport, region: String) {
        query = QueryProtocol(transport: transport, service: "sns", region: region, version: "2010-03-31")
    }

    /// Publishes a message with string attributes (for subscription filters); returns its message id.
    public func publish(topicARN: String, subject: String?, message: String, attributes: [String: String] = [:]) async throws -> String {
        var parameters = [("TopicArn", topicARN), ("Message", message)]
        if let subject { parameters.append(("Subject", subject)) }
        for (index, (name, value)) in attributes.sorted(by: { $0.key < $1.key }).enumerated() {
            let entry = "MessageAttributes.entry.\(index + 1)"
            parameters += [("\(entry).Name", name), ("\(entry).Value.DataType", "String"), ("\(entry).Value.StringValue", value)]
        }
        let answer = try await query.call("Publish", parameters)
        return answer.value("PublishResult", "MessageId") ?? ""
    }
}
