import Foundation
import TrailWardenHTTP

/// Security Hub's BatchImportFindings, for the `securityHub` alarm target.
///
/// Takes findings already written as ASFF JSON objects (the AWS layer knows
/// nothing of what they say) and sends them in as many calls as Security Hub's
/// limits need: at most 100 findings and 6 MB a call. Security Hub answers a call
/// with the findings it refused, each by `Id`; those are returned, not thrown.
public struct SecurityHubClient: Sendable {
    public let transport: AWSTransport
    public let region: String

    /// Security Hub's limit of findings per BatchImportFindings call.
    public static let findingsPerCall = 100
    /// Below the 6 MB a call may carry, with room for the envelope.
    static let bytesPerCall = 6_000_000

    public init(transport: AWSTransport, region: String) {
        self.transport = transport
        self.region = region
    }

    /// A finding Security Hub refused.
    public struct FailedFinding: Sendable, Equatable, CustomStringConvertible {
        public var id: String
        public var errorCode: String
        public var errorMessage: String

        public init(id: String, errorCode: String, errorMessage: String) {
            self.id = id
            self.errorCode = errorCode
            self.errorMessage = errorMessage
        }

        public var description: String { "\(id): \(errorCode): \(errorMessage)" }
    }

    /// Imports `findings` (each one ASFF JSON object) and returns those Security Hub refused.
    public func batchImportFindings(_ findings: [String]) async throws -> [FailedFinding] {
        var failed = [FailedFinding]()
        for batch in Self.batches(findings) {
            failed += try await importBatch(batch)
        }
        return failed
    }

    /// `findings` cut into calls of at most `findingsPerCall` findings and `bytesPerCall` bytes.
    static func batches(_ findings: [String]) -> [[String]] {
        var batches = [[String]]()
        var current = [String]()
        var bytes = 0
        for finding in findings {
            let size = finding.utf8.count + 1
            if !current.isEmpty && (current.count == findingsPerCall || bytes + size > bytesPerCall) {
                batches.append(current)
                current = []
                bytes = 0
            }
            current.append(finding)
            bytes += size
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }

    private func importBatch(_ findings: [String]) async throws -> [FailedFinding] {
        let body = "{\"Findings\":[" + findings.joined(separator: ",") + "]}"
        let request = HTTPRequest(method: "POST", url: transport.endpoint(service: "securityhub", region: region) + "/findings/import",
                                  headers: [("Content-Type", "application/json")], body: Array(body.utf8))
        let response = try await transport.send(request, signingName: "securityhub", region: region, limit: 16 << 20)
        guard let answer = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw AWSError.invalidResponse("BatchImportFindings answer is not a JSON object", response: response)
        }
        let failed = (answer["FailedFindings"] as? [[String: Any]] ?? []).map { entry in
            FailedFinding(id: entry["Id"] as? String ?? "", errorCode: entry["ErrorCode"] as? String ?? "",
                          errorMessage: entry["ErrorMessage"] as? String ?? "")
        }
        let failedCount = (answer["FailedCount"] as? NSNumber)?.intValue ?? failed.count
        guard failedCount == failed.count else {
            throw AWSError.invalidResponse("BatchImportFindings says \(failedCount) findings failed but lists \(failed.count)", response: response)
        }
        return failed
    }
}
