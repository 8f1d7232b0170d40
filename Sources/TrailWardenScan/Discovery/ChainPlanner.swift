import TrailWardenCore

/// One chain to validate, with the trail it belongs to and the role that can read its bucket.
struct ScanChain: Sendable, Hashable {
    var trailARN: String
    var chain: DigestChain
    var bucketRole: RoleTarget?
    /// The trail's delivery as GetTrailStatus described it; nil over an archive, or when its own account was not read.
    var delivery: TrailDelivery? = nil
    /// The other trails whose chains this run validates in the same digest and log folders.
    var folderNeighbours: Set<SharedFolderTrail> = []
}

extension ScanChain {
    /// `chains`, each told which other trails of its folder the run validates too, so that
    /// a log file no trail there lists is reported on one chain of the folder.
    static func sharingFolders(_ chains: [ScanChain]) -> [ScanChain] {
        let folder = { (scanChain: ScanChain) in scanChain.chain.bucket + "\u{0}" + scanChain.chain.digestFolder }
        let byFolder = Dictionary(grouping: chains, by: folder)
        return chains.map { scanChain in
            var shared = scanChain
            shared.folderNeighbours = Set((byFolder[folder(scanChain)] ?? []).filter { $0.chain != scanChain.chain }.map {
                SharedFolderTrail(trailName: $0.chain.trailName, homeRegion: $0.chain.homeRegion)
            })
            return shared
        }
    }
}

/// Turns trails into chains: one per (account, source region), an organization
/// trail's for every scanned account, all from its one bucket.
struct ChainPlanner: Sendable {
    let plan: ScanPlan
    /// nil when the source cannot ask AWS (an archive): every trail must be configured completely.
    let discovery: TrailDiscovery?

    func chains(of trail: DiscoveredTrail, accounts: [String]) async throws -> [ScanChain] {
        var trail = trail
        if trail.bucket.isEmpty {
            // A configured trail without its bucket: ask its own account, as validate does.
            guard let described = try await locator("finding the bucket of \(trail.arn.text)", trail).describe(trail.arn) else {
                throw ScanError("DescribeTrails in \(trail.arn.accountID) \(trail.arn.region) does not list \(trail.arn.text)")
            }
            trail.bucket = described.s3BucketName
            trail.prefix = trail.prefix ?? described.s3KeyPrefix
            trail.isOrganizationTrail = described.isOrganizationTrail
            trail.isMultiRegion = described.isMultiRegionTrail
        }
        let bucketRole = plan.bucketRoles[trail.bucket] ?? plan.role(trail.discoveredIn)
        var organizationID = trail.organizationID
        if trail.isOrganizationTrail, organizationID == nil {
            organizationID = try await locator("finding the organization of \(trail.arn.text)", trail).organizationID()
        }
        let chainAccounts = trail.isOrganizationTrail ? accounts : [trail.arn.accountID].filter(accounts.contains)
        var chains = [ScanChain]()
        for account in chainAccounts {
            let template = DigestChain(bucket: trail.bucket, prefix: trail.prefix, organizationID: organizationID, accountID: account,
                                       trailName: trail.arn.name, homeRegion: trail.arn.region, sourceRegion: trail.arn.region)
            var regions = trail.regions ?? (trail.isMultiRegion ? plan.regions : [trail.arn.region])
            if regions == nil {
                regions = try await aws("finding the regions of s3://\(template.bucket)/\(template.accountRoot)")
                    .digestRegions(template, as: bucketRole)
            }
            for region in regions ?? [] where plan.onlyRegions.isEmpty || plan.onlyRegions.contains(region) {
                var chain = template
                chain.sourceRegion = region
                chains.append(ScanChain(trailARN: trail.arn.text, chain: chain, bucketRole: bucketRole, delivery: trail.delivery))
            }
        }
        return chains
    }

    /// DescribeTrails and DescribeOrganization as the trail's own account.
    private func locator(_ purpose: String, _ trail: DiscoveredTrail) async throws -> TrailLocator {
        try await aws(purpose).locator(for: trail.arn, as: plan.role(trail.arn.accountID))
    }

    /// The AWS side, or an error saying what an archive scan cannot do.
    private func aws(_ purpose: String) throws -> TrailDiscovery {
        guard let discovery else { throw ScanError("\(purpose) needs AWS; a scan of an archive reads only configured trails") }
        return discovery
    }
}
