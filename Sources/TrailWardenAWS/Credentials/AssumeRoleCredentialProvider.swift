import Foundation

/// Credentials for an IAM role, obtained with STS AssumeRole using another
/// provider's credentials: the building block of role profiles and of
/// cross-account access to an organization's log archive.
///
/// Every call assumes the role again; wrap it in `RefreshingCredentialProvider`
/// to reuse the session until shortly before it expires.
public struct AssumeRoleCredentialProvider: CredentialProvider {
    public let source: any CredentialProvider
    public let sts: STSClient
    public let roleARN: String
    /// nil for a fresh `trailwarden-session-<time>` name on each call.
    public let roleSessionName: String?
    public let externalID: String?
    public let durationSeconds: Int?
    private let clock: WallClock
    public var name: String { "assume-role" }

    public init(source: any CredentialProvider, sts: STSClient, roleARN: String, roleSessionName: String? = nil,
                externalID: String? = nil, durationSeconds: Int? = nil, clock: @escaping WallClock) {
        self.source = source
        self.sts = sts
        self.roleARN = roleARN
        self.roleSessionName = roleSessionName
        self.externalID = externalID
        self.durationSeconds = durationSeconds
        self.clock = clock
    }

    public func credentials() async throws -> AWSCredentials {
        let sourceCredentials = try await source.credentials()
        let request = AssumeRoleRequest(roleARN: roleARN,
                                        roleSessionName: roleSessionName ?? Self.defaultSessionName(at: clock()),
                                        externalID: externalID, durationSeconds: durationSeconds)
        return try await sts.assumeRole(request, credentials: sourceCredentials).credentials
    }

    /// A session name for when none is configured, unique per second like the CLI's `botocore-session-<time>`.
    public static func defaultSessionName(at date: Date) -> String {
        "trailwarden-session-\(Int(date.timeIntervalSince1970))"
    }
}
