import Foundation
import TrailWardenHTTP
import TrailWardenVocabulary

/// The three STS calls credential resolution and identity checks need, over
/// the Query protocol with the same signing and retries as every other call.
///
/// Each call is signed with the credentials it is given (not a provider's),
/// because STS is how providers get theirs. Failures, once retries are spent,
/// throw `AWSCallError` naming the call and the role: a role that could not
/// be assumed is never mistaken for an answer of the service the role was for.
/// No global endpoint: the regional endpoints are what AWS recommends and what
/// works in every partition and in an emulator given by `endpoint`.
public struct STSClient: Sendable {
    public static let apiVersion = "2011-06-15"

    public let http: any HTTPClient
    public let region: String
    /// The base URL requests go to: `https://sts.{region}.{suffix}` unless overridden.
    public let endpoint: String
    private let override: String?
    private let retry: RetryPolicy
    private let clock: @Sendable () -> Date
    private let sleep: @Sendable (TimeInterval) async throws -> Void

    /// - Parameters:
    ///   - endpoint: an explicit base URL (an emulator, a VPC endpoint); nil for the regional endpoint.
    ///   - clock: the time requests are signed at.
    ///   - sleep: the wait between attempts (tests make it instant).
    public init(http: any HTTPClient, region: String, endpoint: String? = nil, retry: RetryPolicy = RetryPolicy(),
                clock: @escaping @Sendable () -> Date = { Date() },
                sleep: @escaping @Sendable (TimeInterval) async throws -> Void = AWSTransport.taskSleep) {
        self.http = http
        self.region = region
        override = endpoint
        self.endpoint = AWSEndpoints.url(service: "sts", region: region, override: endpoint)
        self.retry = retry
        self.clock = clock
        self.sleep = sleep
    }

    /// The account, ARN and user ID that `credentials` belong to.
    public func getCallerIdentity(credentials: AWSCredentials) async throws -> CallerIdentity {
        try await named("GetCallerIdentity") {
            let answer = try await query(signedWith: credentials).answer("GetCallerIdentity", [])
            let result = answer.tree.element("GetCallerIdentityResult")
            guard let account = result?.value("Account"), let arn = result?.value("Arn"), let userID = result?.value("UserId") else {
                throw AWSError.invalidResponse("GetCallerIdentity answer lacks Account, Arn or UserId", response: answer.response)
            }
            return CallerIdentity(account: account, arn: arn, userID: userID)
        }
    }

    /// Temporary credentials for `request.roleARN`, requested with `credentials`.
    public func assumeRole(_ request: AssumeRoleRequest, credentials: AWSCredentials) async throws -> AssumedRole {
        var parameters = [("RoleArn", request.roleARN), ("RoleSessionName", request.roleSessionName)]
        if let externalID = request.externalID { parameters.append(("ExternalId", externalID)) }
        if let duration = request.durationSeconds { parameters.append(("DurationSeconds", String(duration))) }
        return try await named("AssumeRole \(request.roleARN)") {
            try assumedRole(in: try await query(signedWith: credentials).answer("AssumeRole", parameters), result: "AssumeRoleResult")
        }
    }

    /// Temporary credentials for `roleARN` in exchange for an OIDC token; the
    /// request is not signed, the token is the proof.
    public func assumeRoleWithWebIdentity(roleARN: String, roleSessionName: String, webIdentityToken: String,
                                          durationSeconds: Int? = nil) async throws -> AssumedRole {
        var parameters = [("RoleArn", roleARN), ("RoleSessionName", roleSessionName), ("WebIdentityToken", webIdentityToken)]
        if let duration = durationSeconds { parameters.append(("DurationSeconds", String(duration))) }
        return try await named("AssumeRoleWithWebIdentity \(roleARN)") {
            try assumedRole(in: try await query(signedWith: nil).answer("AssumeRoleWithWebIdentity", parameters),
                            result: "AssumeRoleWithWebIdentityResult")
        }
    }

    /// The Query protocol signing with `credentials`, or unsigned for nil.
    private func query(signedWith credentials: AWSCredentials?) -> QueryProtocol {
        let provider = StaticCredentialProvider(credentials ?? AWSCredentials(accessKeyID: "", secretAccessKey: ""))
        let transport = AWSTransport(http: http, credentials: provider, signsRequests: credentials != nil, endpoints: .only(override),
                                     retry: retry, clock: clock, sleep: sleep)
        return QueryProtocol(transport: transport, service: "sts", region: region, version: Self.apiVersion)
    }

    private func named<Result>(_ call: String, _ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw AWSCallError(call: call, underlying: error)
        }
    }

    private func assumedRole(in answer: QueryProtocol.Answer, result: String) throws -> AssumedRole {
        let result = answer.tree.element(result)
        let credentials = result?.element("Credentials")
        guard let accessKeyID = credentials?.value("AccessKeyId"), let secret = credentials?.value("SecretAccessKey"),
              let token = credentials?.value("SessionToken"),
              let expiration = credentials?.value("Expiration").flatMap(CloudTrailTime.parseTimestamp),
              let arn = result?.value("AssumedRoleUser", "Arn"), let id = result?.value("AssumedRoleUser", "AssumedRoleId")
        else {
            throw AWSError.invalidResponse("\(answer.tree.name) lacks credentials, a valid expiration or the assumed role user",
                                           response: answer.response)
        }
        return AssumedRole(credentials: AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secret,
                                                       sessionToken: token, expiration: expiration),
                           assumedRoleARN: arn, assumedRoleID: id)
    }
}

/// A call that failed after its retries, named with what it was for
/// (`AssumeRole arn:aws:iam::111111111111:role/X`), so that the failure is
/// reported as itself wherever it surfaces, for instance as the credentials
/// of an S3 read. `underlying` is the `AWSError` or `HTTPError`.
public struct AWSCallError: Error, Sendable, CustomStringConvertible {
    public var call: String
    public var underlying: any Error

    public var description: String { "\(call): \(underlying)" }
}
