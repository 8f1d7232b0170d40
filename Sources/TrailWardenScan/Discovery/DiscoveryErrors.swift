import TrailWardenAWS

/// ListAccounts refused or failed: the whole scan stops (a missed account could be the one
/// tampered with), with a line that says where it listed and which accounts may list.
struct OrganizationListingError: Error, CustomStringConvertible {
    /// `as ROLE`, or `with the scanner's own credentials`.
    var caller: String
    var underlying: any Error

    var description: String {
        let refused = (underlying as? AWSError).map { ["AccessDeniedException", "AWSOrganizationsNotInUseException"].contains($0.code) } ?? false
        let hint = refused ? "; only the organization's management account or a delegated administrator may list its accounts (organization.managementAccountId, organization.role)" : ""
        return "Organizations ListAccounts \(caller): \(underlying)\(hint)"
    }
}

/// Neither the Account API's ListRegions nor EC2 DescribeRegions said which regions an
/// account has enabled, so its coverage cannot be judged.
struct EnabledRegionsError: Error, CustomStringConvertible {
    var listRegions: String
    var describeRegions: String
    var region: String

    var description: String {
        "Account ListRegions: \(listRegions); EC2 DescribeRegions in \(region): \(describeRegions)"
    }
}
