import Foundation

/// SNS Publish, for alarms.
public struct SNSClient: Sendable {
    private let query: QueryProtocol

    public init(transport: AWSTransport, region: String) {
        query = QueryProtocol(transport: transport, service: "sns", region: region, version: "2010-03-31")
    }

    /// Publishes a message with string attributes (for subscription filters); returns its message id.
    public func publish(topicARN: String, subject: String?, message: String, attributes: [String: String] = [:]) async throws -> String {
        try await publish(topicARN: topicARN, subject: subject, message: message, messageAttributes: attributes.mapValues(SNSMessageAttribute.string))
    }

    /// Publishes a message with typed attributes (for subscription filters); returns its message id.
    public func publish(topicARN: String, subject: String?, message: String, messageAttributes: [String: SNSMessageAttribute]) async throws -> String {
        var parameters = [("TopicArn", topicARN), ("Message", message)]
        if let subject { parameters.append(("Subject", subject)) }
        for (index, (name, attribute)) in messageAttributes.sorted(by: { $0.key < $1.key }).enumerated() {
            let entry = "MessageAttributes.entry.\(index + 1)"
            parameters += [("\(entry).Name", name), ("\(entry).Value.DataType", attribute.dataType), ("\(entry).Value.StringValue", attribute.value)]
        }
        let answer = try await query.call("Publish", parameters)
        return answer.value("PublishResult", "MessageId") ?? ""
    }
}

/// One SNS message attribute: what subscription filter policies match on.
///
/// Typed because a filter policy compares numbers numerically and matches a
/// `String.Array` when any of its values matches.
public struct SNSMessageAttribute: Sendable, Hashable {
    /// `String`, `Number` or `String.Array`.
    public var dataType: String
    /// The value as SNS takes it: the text, the decimal number, or a JSON array.
    public var value: String

    public init(dataType: String, value: String) {
        self.dataType = dataType
        self.value = value
    }

    public static func string(_ value: String) -> SNSMessageAttribute { SNSMessageAttribute(dataType: "String", value: value) }

    public static func number<Number: BinaryInteger>(_ value: Number) -> SNSMessageAttribute {
        SNSMessageAttribute(dataType: "Number", value: String(value))
    }

    /// What the attribute called `name` adds to the message size SNS limits: its name, data type and value, in bytes.
    public func byteCount(name: String) -> Int { name.utf8.count + dataType.utf8.count + value.utf8.count }
}
