import Foundation
import TrailWardenCore
import TrailWardenState

/// A trail as discovery found it (or the configuration named it), with what is
/// needed to read its chains.
struct DiscoveredTrail: Sendable, Hashable {
    var arn: TrailARN
    /// Empty for a configured trail named without its bucket.
    var bucket: String
    var prefix: String?
    var organizationID: String?
    var isOrganizationTrail: Bool
    var isMultiRegion: Bool
    /// The source regions to validate, when configured.
    var regions: [String]?
    /// The account whose credentials read the bucket, unless a bucket role is configured.
    var discoveredIn: String
    /// Log file validation, as DescribeTrails or GetTrail says; a configured trail is taken as validated.
    var validationEnabled = true
    /// What GetTrailStatus said, when the trail's own account was read; nil otherwise.
    var delivery: TrailDelivery? = nil
}

/// Whether a trail should be delivering digests now, and what CloudTrail says of its
/// last delivery: the evidence a stale chain's finding rests on.
struct TrailDelivery: Sendable, Hashable {
    /// Logging, with log file validation on: a digest is due every hour.
    var digestsDue: Bool
    var latestDigestDeliveryTime: Date?
    var latestDigestDeliveryError: String?
}

extension DiscoveredTrail {
    /// A configured trail, read as its own account.
    init(planned trail: PlannedTrail) {
        self.init(arn: trail.arn, bucket: trail.bucket ?? "", prefix: trail.prefix, organizationID: trail.organizationID,
                  isOrganizationTrail: trail.organizationID != nil, isMultiRegion: (trail.regions?.count ?? 2) > 1,
                  regions: trail.regions, discoveredIn: trail.arn.accountID)
    }

    /// One trail per ARN: an organization or multi-region trail shows up in
    /// many accounts and regions; the sighting from its own account wins,
    /// since that account's role reads its bucket.
    static func unique(_ sightings: [DiscoveredTrail]) -> [DiscoveredTrail] {
        var trails = [String: DiscoveredTrail]()
        for trail in sightings {
            if let known = trails[trail.arn.text], known.discoveredIn == trail.arn.accountID || trail.discoveredIn != trail.arn.accountID {
                continue
            }
            trails[trail.arn.text] = trail
        }
        return trails.keys.sorted().compactMap { trails[$0] }
    }
}

/// What discovery learned in one account: its trails, their posture, and what it could not read.
struct AccountDiscovery: Sendable {
    var trails: [DiscoveredTrail] = []
    var posture: [RecordedFinding] = []
    var errors: [String] = []
    /// The regions the account has enabled (EC2 DescribeRegions), in the scan's partition; nil when not read.
    var enabledRegions: [String]?
}
