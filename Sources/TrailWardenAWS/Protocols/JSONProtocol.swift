import Foundation
import TrailWardenHTTP
import TrailWardenVocabulary

/// AWS's JSON 1.1 protocol (CloudTrail, Organizations): a POST of a JSON
/// document naming the operation in `X-Amz-Target`, answered with JSON.
struct JSONProtocol: Sendable {
    let transport: AWSTransport
    /// The endpoint prefix, which is also the signing name (`cloudtrail`, `organizations`).
    let service: String
    let region: String
    /// `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101`, for instance.
    let targetPrefix: String

    /// Calls `operation` and returns the answer's top-level object.
    func call(_ operation: String, _ input: [String: Any]) async throws -> [String: Any] {
        let body = try JSONSerialization.data(withJSONObject: input, options: [.sortedKeys])
        let request = HTTPRequest(method: "POST", url: transport.endpoint(service: service, region: region) + "/",
                                  headers: [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "\(targetPrefix).\(operation)")],
                                  body: [UInt8](body))
        let response = try await transport.send(request, signingName: service, region: region, limit: 16 << 20)
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw AWSError.invalidResponse("\(operation) answer is not a JSON object", response: response)
        }
        return object
    }

    /// Calls a paginated operation until its `NextToken` runs out.
    func pages(_ operation: String, _ input: [String: Any], _ each: ([String: Any]) throws -> Void) async throws {
        var input = input
        var seen = Set<String>()
        while true {
            let page = try await call(operation, input)
            try each(page)
            guard let token = page["NextToken"] as? String, !token.isEmpty, seen.insert(token).inserted else { return }
            input["NextToken"] = token
        }
    }
}

/// Reading typed fields out of JSON answers, with errors that name the field.
struct JSONFields {
    let object: [String: Any]
    let operation: String

    func string(_ name: String) throws -> String {
        guard let value = object[name] as? String else { throw AWSError(code: AWSError.invalidResponseCode, message: "\(operation) answer lacks \(name)", status: 200) }
        return value
    }

    func optionalString(_ name: String) -> String? { object[name] as? String }
    func bool(_ name: String) -> Bool { (object[name] as? Bool) ?? ((object[name] as? NSNumber)?.boolValue ?? false) }

    /// JSON 1.1 timestamps are epoch seconds.
    func date(_ name: String) -> Date? {
        if let number = object[name] as? NSNumber { return Date(timeIntervalSince1970: number.doubleValue) }
        if let text = object[name] as? String { return CloudTrailTime.parseTimestamp(text) }
        return nil
    }
}
