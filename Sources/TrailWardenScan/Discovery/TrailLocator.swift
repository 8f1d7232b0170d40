import TrailWardenAWS
import TrailWardenCore

/// Finds a trail's bucket, prefix and organization as `aws cloudtrail validate-logs`
/// does: DescribeTrails, then DescribeOrganization for an organization trail. `validate`
/// uses it for a trail named without its bucket; `scan` for a configured trail without
/// its bucket, and for the organization of an organization trail.
public struct TrailLocator: Sendable {
    let transport: AWSTransport
    /// Where DescribeTrails is asked.
    let region: String
    /// The region of DescribeOrganization.
    let partitionRegion: String

    public init(transport: AWSTransport, region: String, partitionRegion: String) {
        self.transport = transport
        self.region = region
        self.partitionRegion = partitionRegion
    }

    /// The trail as DescribeTrails (shadow trails included) describes it; nil when it is not listed.
    public func describe(_ arn: TrailARN) async throws -> TrailDescription? {
        try await CloudTrailClient(transport: transport, region: region).describeTrails(includeShadowTrails: true)
            .first { $0.trailARN == arn.text }
    }

    /// The id of the caller's organization (DescribeOrganization).
    public func organizationID() async throws -> String {
        try await OrganizationsClient(transport: transport, partitionRegion: partitionRegion).describeOrganization().id
    }
}
