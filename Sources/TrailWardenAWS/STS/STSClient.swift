import Foundation
import TrailWardenHTTP

/// The three STS calls credential resolution and `whoami`-style checks need,
/// over the Query protocol (a signed form POST answered with XML).
///
/// Deliberately minimal: no retries (callers decide; `AWSError.isRetryable`
/// and `HTTPError.isTransient` say when) and no global endpoint, because the
/// regional endpoints are what AWS recommends and what works in every
/// partition and in an emulator given by `endpoint`.
public struct STSClient: Sendable {
    public static let apiVersion = "2011-06-15"

    public let http: any HTTPClient
    public let region: String
    /// The base URL requests go to: `https://sts.{region}.{suffix}` unless overridden.
    public let endpoint: String
    private let clock: @Sendable () -> Date

    /// - Parameters:
    ///   - endpoint: an explicit base URL (an emulator, a VPC endpoint); nil for the regional endpoint.
    ///   - clock: the time requests are signed at.
    public init(http: any HTTPClient, region: String, endpoint: String? = nil,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.http = http
        self.region = region
        self.endpoint = AWSEndpoints.url(service: "sts", region: region, override: endpoint)
        self.clock = clock
    }

    /// The account, ARN and user ID that `credentials` belong to.
    public func getCallerIdentity(credentials: AWSCredentials) async throws -> CallerIdentity {
        let response = try await call("GetCallerIdentity", [], signedWith: credentials)
        let result = response.tree.element("GetCallerIdentityResult")
        guard let account = result?.value("Account"), let arn = result?.value("Arn"), let userID = result?.value("UserId") else {
            throw AWSError.invalidResponse("GetCallerIdentity answer lacks Account, Arn or UserId", response: response.http)
        }
        return CallerIdentity(account: account, arn: arn, userID: userID)
    }

    /// Temporary credentials for `request.roleARN`, requested with `credentials`.
    public func assumeRole(_ request: AssumeRoleRequest, credentials: AWSCredentials) async throws -> AssumedRole {
        var parameters = [("RoleArn", request.roleARN), ("RoleSessionName", request.roleSessionName)]
        if let externalID = request.externalID { parameters.append(("ExternalId", externalID)) }
        if let duration = request.durationSeconds { parameters.append(("DurationSeconds", String(duration))) }
        let response = try await call("AssumeRole", parameters, signedWith: credentials)
        return try assumedRole(in: response, result: "AssumeRoleResult")
    }

    /// Temporary credentials for `roleARN` in exchange for an OIDC token; the
    /// request is not signed, the token is the proof.
    public func assumeRoleWithWebIdentity(roleARN: String, roleSessionName: String, webIdentityToken: String,
                                          durationSeconds: Int? = nil) async throws -> AssumedRole {
        var parameters = [("RoleArn", roleARN), ("RoleSessionName", roleSessionName), ("WebIdentityToken", webIdentityToken)]
        if let duration = durationSeconds { parameters.append(("DurationSeconds", String(duration))) }
        let response = try await call("AssumeRoleWithWebIdentity", parameters, signedWith: nil)
        return try assumedRole(in: response, result: "AssumeRoleWithWebIdentityResult")
    }

    private struct Answer {
        var http: HTTPResponse
        /// The `{Action}Response` root element.
        var tree: XMLTree
    }

    private func call(_ action: String, _ parameters: [(String, String)], signedWith credentials: AWSCredentials?) async throws -> Answer {
        let form = [("Action", action), ("Version", Self.apiVersion)] + parameters
        var request = HTTPRequest(method: "POST", url: endpoint + "/",
                                  headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
                                  body: Array(PercentEncoding.query(form.map { (name: $0.0, value: $0.1) }).utf8))
        if let credentials {
            request = try SigV4Signer(service: "sts", region: region).sign(request, credentials: credentials, at: clock())
        }
        let response = try await http.send(request, limit: 1 << 20)
        guard (200..<300).contains(response.status) else { throw AWSError(response: response) }
        guard let tree = try? XMLTree.parse(response.body), tree.name == "\(action)Response" else {
            throw AWSError.invalidResponse("\(action) answer is not an \(action)Response document", response: response)
        }
        return Answer(http: response, tree: tree)
    }

    private func assumedRole(in answer: Answer, result: String) throws -> AssumedRole {
        let result = answer.tree.element(result)
        let credentials = result?.element("Credentials")
        guard let accessKeyID = credentials?.value("AccessKeyId"), let secret = credentials?.value("SecretAccessKey"),
              let token = credentials?.value("SessionToken"),
              let expiration = credentials?.value("Expiration").flatMap(AWSDate.parseISO8601),
              let arn = result?.value("AssumedRoleUser", "Arn"), let id = result?.value("AssumedRoleUser", "AssumedRoleId")
        else {
            throw AWSError.invalidResponse("\(answer.tree.name) lacks credentials, a valid expiration or the assumed role user",
                                           response: answer.http)
        }
        return AssumedRole(credentials: AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secret,
                                                       sessionToken: token, expiration: expiration),
                           assumedRoleARN: arn, assumedRoleID: id)
    }
}
