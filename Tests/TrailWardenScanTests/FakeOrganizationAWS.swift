import Foundation
import TrailWardenAWS
import TrailWardenCore
import TrailWardenHTTP
import TrailWardenSimulation
import TrailWardenVocabulary

/// The AWS side of a simulated organization, answered in process and counted per account:
/// STS (AssumeRole hands out ASIA + account, so each later call names its account),
/// Organizations, CloudTrail's discovery calls and the Account API's ListRegions, as AWS
/// answers them. The organization trail's owner is the management account; members see
/// it as a shadow trail (DescribeTrails in its home region, ListTrails, GetTrail). Every
/// trail is single-region, and every account has `enabledRegions` on, so the regions
/// but the home one are uncovered. The trails of `stoppedTrailsOf` are not logging.
final class FakeOrganizationAWS: HTTPClient, @unchecked Sendable {
    struct Trail {
        var arn: String, name: String, owner: String, home: String, bucket: String, prefix: String?, isOrganizationTrail: Bool
    }

    static let scannerKey = "AKIDSCANNER000000000"
    static let enabledRegions = ["us-east-1", "ap-south-1"]
    let organizationID: String
    let management: String
    let accounts: [String]
    let trails: [Trail]
    let stoppedTrailsOf: String?
    /// Accounts whose role AssumeRole refuses.
    let refusedAccounts: Set<String>
    /// DescribeOrganization refused to the scanner's own credentials (an organization role without it).
    let refusesDescribeOrganization: Bool
    // Touched only under the lock.
    private let lock = NSLock()
    private var calls: [(account: String, operation: String)] = []

    init(_ manifest: WorldManifest, stoppedTrailsOf: String? = nil, refusedAccounts: Set<String> = [], refusesDescribeOrganization: Bool = false) {
        var trails = [String: Trail]()
        for chain in manifest.chains where trails[chain.trailARN] == nil {
            let arn = TrailARN(chain.trailARN)!
            trails[chain.trailARN] = Trail(arn: chain.trailARN, name: arn.name, owner: arn.accountID, home: arn.region, bucket: chain.chain.bucket,
                                           prefix: chain.chain.prefix, isOrganizationTrail: chain.isOrganizationTrail)
        }
        self.trails = trails.values.sorted { $0.arn < $1.arn }
        accounts = Array(Set(manifest.chains.map(\.chain.accountID))).sorted()
        let organizationTrail = manifest.chains.first(where: \.isOrganizationTrail)
        management = organizationTrail.map { TrailARN($0.trailARN)!.accountID } ?? accounts[0]
        organizationID = organizationTrail?.chain.organizationID ?? "o-fake000000"
        self.stoppedTrailsOf = stoppedTrailsOf
        self.refusedAccounts = refusedAccounts
        self.refusesDescribeOrganization = refusesDescribeOrganization
    }

    /// The accounts `operation` was called in (AssumeRole: the accounts of the roles asked), with how many times.
    func counts(_ operation: String) -> [String: Int] {
        lock.withLock { calls.filter { $0.operation == operation }.reduce(into: [:]) { $0[$1.account, default: 0] += 1 } }
    }

    func send<Consumer: BodyConsumer>(_ request: HTTPRequest, streamingInto consumer: inout Consumer) async throws -> HTTPResponse {
        let authorization = request.headers.first { $0.name.lowercased() == "authorization" }?.value ?? ""
        let scope = authorization.components(separatedBy: "Credential=").dropFirst().first?.split(separator: "/") ?? []
        let key = scope.first.map(String.init) ?? ""
        let caller = key.hasPrefix("ASIA") ? String(key.dropFirst(4).prefix(12)) : "scanner"
        let region = scope.count > 2 ? String(scope[2]) : "us-east-1"
        var response = answer(request, caller: caller, region: region)
        guard response.isSuccess else { return response }
        try consumer.begin(headers: response.headers)
        try response.body.withUnsafeBytes { try consumer.consume($0) }
        response.body = []
        return response
    }

    private func record(_ account: String, _ operation: String) { lock.withLock { calls.append((account, operation)) } }

    private func answer(_ request: HTTPRequest, caller: String, region: String) -> HTTPResponse {
        if request.url.hasSuffix("/listRegions") {
            record(caller, "ListRegions")
            return json(["Regions": Self.enabledRegions.map { ["RegionName": $0, "RegionOptStatus": "ENABLED_BY_DEFAULT"] }])
        }
        if let target = request.headers.first(where: { $0.name.lowercased() == "x-amz-target" })?.value {
            let operation = String(target.split(separator: ".").last ?? "")
            record(caller, operation)
            let input = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
            return cloudTrailOrOrganizations(operation, input: input, caller: caller, region: region)
        }
        var form = URLComponents()
        form.percentEncodedQuery = String(decoding: request.body, as: UTF8.self).replacingOccurrences(of: "+", with: "%20")
        let parameters = Dictionary((form.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
        switch parameters["Action"] {
        case "AssumeRole":
            let roleARN = parameters["RoleArn"] ?? ""
            let account = roleARN.components(separatedBy: ":").dropFirst(4).first ?? ""
            record(account, "AssumeRole")
            guard !refusedAccounts.contains(account) else {
                return xml(403, "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to perform: sts:AssumeRole on resource: \(roleARN)</Message></Error></ErrorResponse>")
            }
            return xml(200, """
                <AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIA\(account)0000</AccessKeyId><SecretAccessKey>fake</SecretAccessKey>\
                <SessionToken>fake-\(account)</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser>\
                <Arn>arn:aws:sts::\(account):assumed-role/TrailWardenAudit/trailwarden</Arn><AssumedRoleId>AROA\(account):trailwarden</AssumedRoleId>\
                </AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>
                """)
        case "GetCallerIdentity":
            record(caller, "GetCallerIdentity")
            return xml(200, """
                <GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::999999999999:user/scanner</Arn><UserId>AIDASCANNER</UserId>\
                <Account>999999999999</Account></GetCallerIdentityResult></GetCallerIdentityResponse>
                """)
        default:
            return xml(400, "<ErrorResponse><Error><Code>InvalidAction</Code><Message>\(request.url)</Message></Error></ErrorResponse>")
        }
    }

    private func cloudTrailOrOrganizations(_ operation: String, input: [String: Any], caller: String, region: String) -> HTTPResponse {
        // The caller's own trails, and the organization's as shadow trails in a member.
        let visible = trails.filter { $0.owner == caller || ($0.isOrganizationTrail && accounts.contains(caller)) }
        switch operation {
        case "DescribeOrganization":
            guard !(refusesDescribeOrganization && caller == "scanner") else {
                return json(["__type": "AccessDeniedException", "message": "not authorized to perform: organizations:DescribeOrganization"], status: 400)
            }
            return json(["Organization": ["Id": organizationID, "MasterAccountId": management,
                                          "Arn": "arn:aws:organizations::\(management):organization/\(organizationID)"]])
        case "ListAccounts":
            return json(["Accounts": accounts.map { ["Id": $0, "Name": "account-\($0)", "Status": "ACTIVE"] }])
        case "DescribeTrails":
            return json(["trailList": visible.filter { $0.home == region }.map(description)])
        case "ListTrails":
            return json(["Trails": visible.map { ["Name": $0.name, "TrailARN": $0.arn, "HomeRegion": $0.home] }])
        case "GetTrail":
            guard let trail = visible.first(where: { $0.arn == input["Name"] as? String && $0.home == region }) else {
                return json(["__type": "TrailNotFoundException", "message": "\(input["Name"] ?? "")"], status: 400)
            }
            return json(["Trail": description(trail)])
        case "GetTrailStatus":
            guard let trail = visible.first(where: { $0.arn == input["Name"] as? String && $0.owner == caller }) else {
                return json(["__type": "TrailNotFoundException", "message": "\(input["Name"] ?? "")"], status: 400)
            }
            return json(["IsLogging": trail.owner != stoppedTrailsOf || trail.isOrganizationTrail])
        default:
            return json(["__type": "UnknownOperationException", "message": operation], status: 400)
        }
    }

    private func description(_ trail: Trail) -> [String: Any] {
        var fields: [String: Any] = ["Name": trail.name, "TrailARN": trail.arn, "HomeRegion": trail.home, "S3BucketName": trail.bucket,
                                     "IsMultiRegionTrail": false, "IsOrganizationTrail": trail.isOrganizationTrail, "LogFileValidationEnabled": true]
        if let prefix = trail.prefix { fields["S3KeyPrefix"] = prefix }
        return fields
    }

    private func json(_ object: [String: Any], status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/x-amz-json-1.1")],
                     body: [UInt8]((try? JSONSerialization.data(withJSONObject: object)) ?? Data()))
    }

    private func xml(_ status: Int, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "text/xml")], body: Array(text.utf8))
    }
}
