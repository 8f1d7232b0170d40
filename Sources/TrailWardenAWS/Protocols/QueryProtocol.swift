import Foundation
import TrailWardenHTTP

/// AWS's Query protocol (STS, SNS, CloudWatch): a signed form POST naming an
/// `Action` and API `Version`, answered with an `{Action}Response` XML document.
struct QueryProtocol: Sendable {
    let transport: AWSTransport
    /// The endpoint prefix (`sns`, `monitoring`, `sts`).
    let service: String
    let region: String
    let version: String

    /// A successful answer: the HTTP response (for its request ID) and its `{Action}Response` root element.
    struct Answer {
        var response: HTTPResponse
        var tree: XMLTree
    }

    func call(_ action: String, _ parameters: [(String, String)]) async throws -> XMLTree {
        try await answer(action, parameters).tree
    }

    func answer(_ action: String, _ parameters: [(String, String)]) async throws -> Answer {
        let form = [("Action", action), ("Version", version)] + parameters
        let request = HTTPRequest(method: "POST", url: transport.endpoint(service: service, region: region) + "/",
                                  headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
                                  body: Array(PercentEncoding.query(form.map { (name: $0.0, value: $0.1) }).utf8))
        let response = try await transport.send(request, signingName: service, region: region, limit: 4 << 20)
        guard let tree = try? XMLTree.parse(response.body), tree.name == "\(action)Response" else {
            throw AWSError.invalidResponse("\(action) answer is not an \(action)Response document", response: response)
        }
        return Answer(response: response, tree: tree)
    }
}
