import Foundation
import TrailWardenHTTP
import TrailWardenVocabulary

/// A test double for `HTTPClient`: answers from a script of recorded
/// responses, records every request, and never touches the network.
///
/// Requests are matched by method and URL; each match consumes the next
/// scripted answer for it (the last one repeats). A request nothing was
/// scripted for fails with a non-transient `HTTPError`.
struct FakeHTTPClient: HTTPClient {
    enum Answer: Sendable {
        case response(HTTPResponse)
        case failure(HTTPError)
        /// Never answers; ends only by cancellation, like a black-holed address.
        case hang
    }

    private let script = Script()

    /// Scripts `answers` for `method url`, in order.
    func on(_ method: String, _ url: String, _ answers: Answer...) async {
        await script.add(method: method, url: url, answers: answers)
    }

    /// Convenience: one response with a text body.
    func on(_ method: String, _ url: String, status: Int = 200, headers: [(name: String, value: String)] = [], body: String) async {
        await on(method, url, .response(HTTPResponse(status: status, headers: headers, body: Array(body.utf8))))
    }

    /// Every request received, in order.
    var requests: [HTTPRequest] { get async { await script.requests } }

    func send<Consumer: BodyConsumer>(_ request: HTTPRequest, streamingInto consumer: inout Consumer) async throws -> HTTPResponse {
        switch await script.answer(for: request) {
        case .response(var response):
            // As the real client: a 2xx body is streamed, any other is returned whole.
            guard response.isSuccess else { return response }
            try consumer.begin(headers: response.headers)
            try response.body.withUnsafeBytes { try consumer.consume($0) }
            response.body = []
            return response
        case .failure(let error):
            throw error
        case .hang:
            try await Task.sleep(for: .seconds(3600))
            throw HTTPError(.timedOut, "a hanging request ended without cancellation")
        case nil:
            throw HTTPError(.other, "FakeHTTPClient: unexpected \(request.method) \(request.url)")
        }
    }

    private actor Script {
        var routes: [String: [Answer]] = [:]
        var requests: [HTTPRequest] = []

        func add(method: String, url: String, answers: [Answer]) {
            routes["\(method) \(url)", default: []].append(contentsOf: answers)
        }

        func answer(for request: HTTPRequest) -> Answer? {
            requests.append(request)
            let key = "\(request.method) \(request.url)"
            guard let answers = routes[key], let first = answers.first else { return nil }
            if answers.count > 1 { routes[key] = Array(answers.dropFirst()) }
            return first
        }
    }
}

extension HTTPRequest {
    var bodyText: String { String(decoding: body, as: UTF8.self) }
}
