import Foundation
import TrailWardenHTTP

/// The Account API's ListRegions: the regions an account has enabled, opt-in regions
/// included once enabled, as AWS itself describes them. Account is a global service
/// (REST-JSON), answered and signed in the partition's implicit global region.
public struct AccountClient: Sendable {
    private let transport: AWSTransport
    private let region: String

    /// - Parameter partitionRegion: any region of the partition (`us-east-1`, `cn-north-1`, …).
    public init(transport: AWSTransport, partitionRegion: String = "us-east-1") {
        self.transport = transport
        region = partitionRegion.hasPrefix("cn-") ? "cn-northwest-1" : partitionRegion.hasPrefix("us-gov-") ? "us-gov-west-1" : "us-east-1"
    }

    /// The status ListRegions gives a region that is on: enabled by default, or opted in.
    static let enabledStatuses = ["ENABLED", "ENABLED_BY_DEFAULT"]

    /// The names of the regions enabled for the caller's account, all pages.
    public func enabledRegions() async throws -> [String] {
        var names = [String]()
        var token: String?
        var seen = Set<String>()
        repeat {
            var input: [String: Any] = ["MaxResults": 50, "RegionOptStatusContains": Self.enabledStatuses]
            if let token { input["NextToken"] = token }
            let page = try await call(input)
            for item in page["Regions"] as? [[String: Any]] ?? [] {
                let fields = JSONFields(object: item, operation: "ListRegions")
                let name = try fields.string("RegionName")
                // Filtered by the service; checked again, since a region that is not on is not covered.
                if Self.enabledStatuses.contains(fields.optionalString("RegionOptStatus") ?? "") { names.append(name) }
            }
            token = (page["NextToken"] as? String).flatMap { $0.isEmpty || !seen.insert($0).inserted ? nil : $0 }
        } while token != nil
        return names
    }

    private func call(_ input: [String: Any]) async throws -> [String: Any] {
        let body = try JSONSerialization.data(withJSONObject: input, options: [.sortedKeys])
        let request = HTTPRequest(method: "POST", url: transport.endpoint(service: "account", region: region) + "/listRegions",
                                  headers: [("Content-Type", "application/json")], body: [UInt8](body))
        let response = try await transport.send(request, signingName: "account", region: region, limit: 1 << 20)
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw AWSError.invalidResponse("ListRegions answer is not a JSON object", response: response)
        }
        return object
    }
}
