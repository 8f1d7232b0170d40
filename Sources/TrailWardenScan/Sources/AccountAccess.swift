import Foundation
import TrailWardenAWS

/// Enters accounts: one refreshing AssumeRole credential provider per role,
/// shared by every call made as that role, so long scans renew credentials
/// before they expire and each role is assumed once, not once per call.
actor AccountAccess {
    /// The scanner's own session: its HTTP client, credentials and endpoint.
    let base: AWSTransport
    let sts: STSClient
    private var providers: [RoleTarget: any CredentialProvider] = [:]
    private var caller: String?

    init(base: AWSTransport, region: String) {
        self.base = base
        sts = STSClient(http: base.http, region: region, endpoint: base.configuredEndpoint(service: "sts"))
    }

    /// The scanner's own identity (GetCallerIdentity), as recorded with the run.
    /// Asked once: the scan command asks before it opens the state, so that a state a resized
    /// shard has just imported into meets no network call before its run begins.
    func callerARN() async throws -> String {
        if let caller { return caller }
        let arn = try await sts.getCallerIdentity(credentials: base.credentials.credentials()).arn
        caller = arn
        return arn
    }

    /// A transport acting as `role` (the caller itself when nil), sharing the one HTTP
    /// client and its cap on requests in flight, and the session's retry quota and rate limiter.
    func transport(_ role: RoleTarget?) -> AWSTransport {
        base.using(credentials: credentials(role))
    }

    private func credentials(_ role: RoleTarget?) -> any CredentialProvider {
        guard let role else { return base.credentials }
        if let known = providers[role] { return known }
        let provider = RefreshingCredentialProvider(AssumeRoleCredentialProvider(
            source: base.credentials, sts: sts, roleARN: role.roleARN, roleSessionName: role.sessionName, externalID: role.externalID,
            durationSeconds: role.durationSeconds, clock: { Date() }))
        providers[role] = provider
        return provider
    }
}
