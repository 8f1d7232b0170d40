import TrailWardenState

/// Which (account, region) no trail covers: the posture finding `region-uncovered`. A
/// region is covered for an account by a trail with log file validation that is meant to
/// deliver there: an organization trail (for every scanned account), or a trail of the
/// account itself; multi-region, or homed in that region (or configured with it). Whether
/// the trail has really delivered is the chain's business (`undelivered`, `digests-stale`).
enum RegionCoverage {
    /// `region-uncovered` for each region of `regions` that no trail of `trails` covers for `account`.
    static func findings(account: String, regions: [String], trails: [DiscoveredTrail]) -> [RecordedFinding] {
        regions.filter { region in !trails.contains { covers($0, account: account, region: region) } }.sorted().map { region in
            let object = "\(account)/\(region)"
            return RecordedFinding(kind: .regionUncovered, object: object,
                                   message: "Region\t\(object)\tINVALID: no trail with log file validation delivers for this account and region")
        }
    }

    static func covers(_ trail: DiscoveredTrail, account: String, region: String) -> Bool {
        guard trail.validationEnabled, trail.isOrganizationTrail || trail.arn.accountID == account else { return false }
        if let regions = trail.regions { return regions.contains(region) }
        return trail.isMultiRegion || trail.arn.region == region
    }

    /// `aws`, `aws-cn` or `aws-us-gov`: an emulator may list every partition's regions.
    static func partition(of region: String) -> String {
        region.hasPrefix("cn-") ? "aws-cn" : region.hasPrefix("us-gov-") ? "aws-us-gov" : "aws"
    }
}
