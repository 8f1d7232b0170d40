import Foundation
import TrailWardenCore

extension ScanPlan {
    /// The plan a configuration file describes, narrowed by `--account` and `--region`.
    public init(configuration: ScanConfiguration, onlyAccounts: [String] = [], onlyRegions: [String] = []) {
        let partition = configuration.partition
        @Sendable func target(_ spec: ScanConfiguration.RoleSpec, roleARN: String) -> RoleTarget {
            RoleTarget(roleARN: roleARN, externalID: spec.externalId, sessionName: spec.sessionName, durationSeconds: spec.durationSeconds)
        }
        func regions(_ selection: ScanConfiguration.RegionSelection) -> [String]? {
            if case .list(let regions) = selection { return regions }
            return nil
        }
        let organization = configuration.organization
        self.init(
            discoverAccounts: organization.discover,
            organizationRole: zip(organization.role, organization.readerRoleARN(partition: partition)).map(target),
            includeAccounts: configuration.namedAccounts,
            excludeAccounts: Set(configuration.accounts.exclude),
            onlyAccounts: Set(onlyAccounts),
            role: { account in
                let spec = configuration.role(for: account)
                return target(spec, roleARN: spec.roleARN(account: account, partition: partition))
            },
            discoverTrails: configuration.trails.discover,
            explicitTrails: configuration.trails.explicit.map {
                PlannedTrail(arn: $0.arn, bucket: $0.bucket, prefix: $0.prefix, organizationID: $0.organizationId,
                             regions: $0.regions.flatMap(regions))
            },
            regions: regions(configuration.regions),
            discoveryRegions: [configuration.globalRegion],
            onlyRegions: Set(onlyRegions),
            bucketRoles: configuration.buckets.mapValues { target($0.role, roleARN: $0.roleARN(partition: partition)) },
            accountsInParallel: configuration.limits.accountsInParallel,
            requestsInFlight: configuration.limits.requestsInFlight,
            requestsPerAccount: configuration.limits.requestsPerAccount,
            firstScanLookback: TimeInterval(configuration.firstScanLookbackDays) * 86400,
            defaultRegion: configuration.globalRegion)
        configurationSHA256 = configuration.sha256
    }
}

/// Both halves of a pair, or nil.
private func zip<A, B>(_ first: A?, _ second: B?) -> (A, B)? {
    guard let first, let second else { return nil }
    return (first, second)
}
