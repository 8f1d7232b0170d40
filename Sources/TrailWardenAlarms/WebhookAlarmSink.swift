import Foundation
import TrailWardenCrypto
import TrailWardenHTTP
import TrailWardenVocabulary

/// Posts a notice as JSON to a webhook: a chat tool's incoming webhook, or
/// any service that takes JSON.
///
/// Webhook URLs carry their secret in the path (Slack, Discord, Teams) or
/// the query, so neither appears in `target` or in errors: the target is the
/// scheme, host and port, plus a short SHA-256 prefix of the whole URL that
/// keeps two webhooks on one host apart. A 2xx answer is a delivery; anything
/// else, a redirect included (redirects are never followed), is an error.
/// With `signing`, every POST is signed (`WebhookSigning`).
public struct WebhookAlarmSink: AlarmSink {
    public let http: any HTTPClient
    public let url: URL
    /// The longest one POST may take, answer included.
    public let timeout: Duration
    public let signing: WebhookSigning?
    let clock: @Sendable () -> Date

    public init(http: any HTTPClient, url: URL, timeout: Duration = .seconds(30), signing: WebhookSigning? = nil,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.http = http
        self.url = url
        self.timeout = timeout
        self.signing = signing
        self.clock = clock
    }

    public var target: String { Self.target(for: url) }

    /// "webhook:https://hooks.example.com#1a2b3c4d5e6f": where, without the secret.
    public static func target(for url: URL) -> String {
        let scheme = url.scheme?.lowercased() ?? "unknown"
        let host = url.host?.lowercased() ?? ""
        let port = url.port.map { ":\($0)" } ?? ""
        let fingerprint = Digests.sha256Hex(Array(url.absoluteString.utf8)).prefix(12)
        return "webhook:\(scheme)://\(host)\(port)#\(fingerprint)"
    }

    public func deliver(_ notice: AlarmNotice) async throws {
        let body: [UInt8]
        do {
            body = try WebhookPayload(notice).encoded()
        } catch {
            throw AlarmDeliveryError(target: target, reason: "the notice could not be written as JSON: \(error)")
        }
        let signature = try await AlarmDeliveryError.naming(target) { try signing?.headers(body: body, at: clock()) ?? [] }
        let request = HTTPRequest(method: "POST", url: url.absoluteString,
                                  headers: [(name: "Content-Type", value: "application/json")] + signature, body: body)
        let status = try await AlarmDeliveryError.naming(target) { try await post(request) }
        guard (200..<300).contains(status) else {
            throw AlarmDeliveryError(target: target, reason: "answered HTTP \(status)")
        }
    }

    /// Sends `request` and returns the answer's status, or throws when `timeout` passes first.
    private func post(_ request: HTTPRequest) async throws -> Int {
        try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask { [http] in
                var answer = DiscardedBody()
                return try await http.send(request, streamingInto: &answer).status
            }
            group.addTask { [timeout] in
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let status = first else {
                throw AlarmDeliveryError(target: target, reason: "no answer within \(timeout)")
            }
            return status
        }
    }
}

/// Ignores a webhook's answer: only its status matters.
private struct DiscardedBody: BodyConsumer {
    mutating func consume(_ piece: UnsafeRawBufferPointer) throws {}
    mutating func reset() {}
}
