import Foundation

/// EC2 DescribeRegions: the regions an account has enabled, opt-in regions included once
/// they are opted in, which is where every trail's coverage is judged.
public struct EC2Client: Sendable {
    private let query: QueryProtocol

    public init(transport: AWSTransport, region: String) {
        query = QueryProtocol(transport: transport, service: "ec2", region: region, version: "2016-11-15")
    }

    /// The names of the regions enabled for the caller's account (`opt-in-not-required` or
    /// `opted-in`; AWS lists only those without AllRegions, an emulator may list more).
    public func enabledRegions() async throws -> [String] {
        let tree = try await query.call("DescribeRegions", [])
        let items = tree.child("regionInfo")?.children(named: "item") ?? []
        return items.compactMap { item -> String? in
            guard let name = item.value("regionName"), !name.isEmpty else { return nil }
            let status = item.value("optInStatus") ?? "opt-in-not-required"
            return status == "opt-in-not-required" || status == "opted-in" ? name : nil
        }
    }
}
