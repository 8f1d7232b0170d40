import Foundation
import Testing
import TrailWardenAWS
import TrailWardenHTTP
import TrailWardenVocabulary
@testable import TrailWardenAlarms

/// Findings Security Hub refuses in an otherwise successful answer are imported
/// again, only they, and reported by Id when they stay refused.
@Suite struct RefusedFindingsTests {
    /// Answers BatchImportFindings, refusing the findings whose Id is in `refusing` for the first `times` calls.
    private final class SecurityHubStub: HTTPClient, @unchecked Sendable {
        let lock = NSLock()
        let refusing: Set<String>
        let times: Int
        var imported = [[String]]()

        init(refusing: Set<String>, times: Int) {
            self.refusing = refusing
            self.times = times
        }

        func send<Consumer: BodyConsumer>(_ request: HTTPRequest, streamingInto consumer: inout Consumer) async throws -> HTTPResponse {
            let body = try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: [[String: Any]]] ?? [:]
            let ids = (body["Findings"] ?? []).compactMap { $0["Id"] as? String }
            let call = lock.withLock { imported.append(ids); return imported.count }
            let failed = call <= times ? ids.filter(refusing.contains) : []
            let answer: [String: Any] = ["FailedCount": failed.count, "SuccessCount": ids.count - failed.count,
                                         "FailedFindings": failed.map { ["Id": $0, "ErrorCode": "InternalException", "ErrorMessage": "try again"] }]
            let bytes = try JSONSerialization.data(withJSONObject: answer)
            try bytes.withUnsafeBytes { try consumer.consume($0) }
            return HTTPResponse(status: 200)
        }
    }

    private func sink(_ stub: SecurityHubStub) -> SecurityHubAlarmSink {
        let transport = AWSTransport(http: stub, credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "a", secretAccessKey: "b")),
                                     endpointOverride: "http://127.0.0.1:9")
        return SecurityHubAlarmSink(client: SecurityHubClient(transport: transport, region: "us-east-1"), productArn: nil,
                                    announcement: .findings, importingAccount: { "999999999999" })
    }

    @Test func refusedFindingsAloneAreImportedAgain() async throws {
        let notice = SampleNotices.notice(findings: 5)
        let refused = notice.findings[3].identity.uid
        let stub = SecurityHubStub(refusing: [refused], times: 1)
        try await sink(stub).deliver(notice)
        #expect(stub.imported == [notice.findings.map(\.identity.uid), [refused]])
    }

    @Test func findingsStillRefusedFailTheDeliveryNamingThem() async throws {
        let notice = SampleNotices.notice(findings: 5)
        let refused = notice.findings[1].identity.uid
        let stub = SecurityHubStub(refusing: [refused], times: 100)
        let sink = sink(stub)
        let result = await AlarmDelivery.deliver(notice, to: sink, attempts: 1)
        #expect(result.error == "\(sink.target): 1 findings refused: \(refused): InternalException: try again")
        #expect(stub.imported.count == 3 && stub.imported.dropFirst().allSatisfy { $0 == [refused] })
    }
}
