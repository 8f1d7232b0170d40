import Foundation
import TrailWardenAWS
import TrailWardenHTTP

/// Enters accounts: one refreshing AssumeRole credential provider per role,
/// shared by every call made as that role, so long scans renew credentials
/// before they expire and each role is assumed once, not once per call.
actor AccountAccess {
    let http: any HTTPClient
    let base: any CredentialProvider
    let sts: STSClient
    let endpointOverride: String?
    private var providers: [RoleTarget: any CredentialProvider] = [:]

    init(http: any HTTPClient, base: any CredentialProvider, region: String, endpointOverride: String?) {
        self.http = http
        self.base = base
        self.endpointOverride = endpointOverride
        sts = STSClient(http: http, region: region, endpoint: endpointOverride)
    }

    /// Credentials acting as `role`, or the caller's own when nil.
    func credentials(_ role: RoleTarget?) -> any CredentialProvider {
        guard let role else { return base }
        if let known = providers[role] { return known }
        let provider = RefreshingCredentialProvider(AssumeRoleCredentialProvider(
            source: base, sts: sts, roleARN: role.roleARN, roleSessionName: role.sessionName, externalID: role.externalID,
            durationSeconds: role.durationSeconds, clock: { Date() }))
        providers[role] = provider
        return provider
    }

    /// A transport acting as `role`, sharing the one HTTP client and its cap on requests in flight.
    func transport(_ role: RoleTarget?) -> AWSTransport {
        AWSTransport(http: http, credentials: credentials(role), endpointOverride: endpointOverride)
    }
}
