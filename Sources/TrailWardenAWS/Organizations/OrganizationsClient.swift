import Foundation

/// An organization's identity.
public struct OrganizationDescription: Sendable, Hashable {
    public var id: String
    public var managementAccountID: String
}

/// A member account as ListAccounts returns it.
public struct OrganizationAccount: Sendable, Hashable {
    public var id: String
    public var name: String
    /// ACTIVE, SUSPENDED or PENDING_CLOSURE.
    public var status: String
}

/// DescribeOrganization and ListAccounts. Organizations is a global service,
/// signed for us-east-1 (cn-northwest-1 in China).
public struct OrganizationsClient: Sendable {
    private let json: JSONProtocol

    public init(transport: AWSTransport, partitionRegion: String = "us-east-1") {
        let region = partitionRegion.hasPrefix("cn-") ? "cn-northwest-1" : "us-east-1"
        json = JSONProtocol(transport: transport, service: "organizations", region: region,
                            targetPrefix: "AWSOrganizationsV20161128")
    }

    public func describeOrganization() async throws -> OrganizationDescription {
        let answer = try await json.call("DescribeOrganization", [:])
        let organization = JSONFields(object: answer["Organization"] as? [String: Any] ?? [:], operation: "DescribeOrganization")
        return OrganizationDescription(id: try organization.string("Id"),
                                       managementAccountID: organization.optionalString("MasterAccountId") ?? "")
    }

    /// Every account of the organization, all pages.
    public func listAccounts() async throws -> [OrganizationAccount] {
        var accounts = [OrganizationAccount]()
        try await json.pages("ListAccounts", [:]) { page in
            for item in page["Accounts"] as? [[String: Any]] ?? [] {
                let fields = JSONFields(object: item, operation: "ListAccounts")
                accounts.append(OrganizationAccount(id: try fields.string("Id"), name: fields.optionalString("Name") ?? "",
                                                    status: fields.optionalString("Status") ?? "ACTIVE"))
            }
        }
        return accounts
    }
}
