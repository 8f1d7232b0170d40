import Foundation
import Testing
import TrailWardenHTTP
@testable import TrailWardenAWS
import TrailWardenVocabulary

/// Signs a table of awkward requests with both `SigV4Signer` and botocore's
/// signers (Tests/Reference/sigv4_reference.py) and requires byte-identical
/// URLs, canonical requests, strings to sign and signature headers.
@Suite struct SigV4DifferentialTests {
    struct Case: Encodable {
        var service: String
        var region = "us-east-1"
        var method = "GET"
        var scheme = "https"
        var host: String
        var path: String
        var query: [[String]]? = nil
        var rawQuery: String? = nil
        var headers: [[String]] = []
        var body = ""
        var accessKeyID = "AKIDEXAMPLE"
        var secretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
        var sessionToken: String? = nil
        var time = "20260115T093007Z"

        var date: Date {
            Date(timeIntervalSince1970: (CloudTrailTime.parseTimestamp(
                "\(time.prefix(4))-\(time.dropFirst(4).prefix(2))-\(time.dropFirst(6).prefix(2))T\(time.dropFirst(9).prefix(2)):\(time.dropFirst(11).prefix(2)):\(time.dropFirst(13).prefix(2))Z")!
                .timeIntervalSince1970) + 0.75)
        }

        var request: HTTPRequest {
            var url = "\(scheme)://\(host)\(PercentEncoding.encode(path, keepingSlashes: true))"
            if let rawQuery {
                url += "?" + rawQuery
            } else if let query {
                url += "?" + PercentEncoding.query(query.map { (name: $0[0], value: $0[1]) })
            }
            return HTTPRequest(method: method, url: url, headers: headers.map { (name: $0[0], value: $0[1]) },
                               body: [UInt8](Data(base64Encoded: body)!))
        }
    }

    struct Expected: Decodable {
        var url: String
        var canonicalRequest: String
        var stringToSign: String
        var headers: [String: String]
    }

    static let token = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+sample/token+with=padding=="
    static let digestKey = "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/01/15/"
        + "111122223333_CloudTrail-Digest_us-east-1_management_us-east-1_20260115T093007Z.json.gz"
    static let bucketHost = "trail-bucket.s3.us-east-1.amazonaws.com"
    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    static let awkwardKeys = [
        digestKey,
        "a key with spaces/and  two  spaces.txt",
        "ünïcødé/日本語/ファイル 🚀.json",
        "tilde~plus+equals=percent%bang!star*quote'paren()",
        "double//slash///triple/x",
        "trailing/slash/",
        "dot/./segments/../x/..",
        "semi;colon,comma:colon@at&amp$dollar#hash?question[brackets]",
        "already%20encoded%2Flooking",
    ]

    static let cases: [Case] = {
        var cases = [Case]()
        for (index, key) in awkwardKeys.enumerated() {
            // Virtual-hosted S3, with and without a session token.
            cases.append(Case(service: "s3", host: bucketHost, path: "/" + key,
                              sessionToken: index.isMultiple(of: 2) ? token : nil))
            // Path-style S3 against an emulator on a non-default port.
            cases.append(Case(service: "s3", method: "HEAD", scheme: "http", host: "localhost:4566",
                              path: "/trail-bucket/" + key))
            // Other services encode the path twice and drop dot and empty segments.
            for service in ["cloudtrail", "organizations"] {
                cases.append(Case(service: service, host: "\(service).us-east-1.amazonaws.com", path: "/" + key,
                                  sessionToken: index.isMultiple(of: 2) ? nil : token))
            }
        }
        let queries: [[[String]]] = [
            [["list-type", "2"], ["prefix", "AWSLogs/111122223333/CloudTrail-Digest/"], ["start-after", "a b+c=d"], ["delimiter", "/"]],
            [["b", "2"], ["a", "z"], ["a", "y"], ["a", ""], ["a", "Y"]],
            [["empty", ""], ["x", ""], ["", "nameless"]],
            [["key with space", "v a l"], ["ü", "ö"], ["a+b", "c=d&e"], ["~tilde", "*star"], ["%", "%25"], ["Z", "z"], ["_", "-"]],
            [["prefix", "ünïcødé/日本語/"], ["continuation-token", "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="]],
        ]
        for (index, query) in queries.enumerated() {
            cases.append(Case(service: "s3", host: bucketHost, path: "/", query: query,
                              sessionToken: index.isMultiple(of: 2) ? token : nil))
            cases.append(Case(service: "cloudtrail", host: "cloudtrail.eu-west-1.amazonaws.com", path: "/x y/", query: query))
            cases[cases.count - 1].region = "eu-west-1"
        }
        for rawQuery in ["acl", "versions&prefix=x", "uploads&", "b=2&a&a=1"] {
            cases.append(Case(service: "s3", host: bucketHost, path: "/key", rawQuery: rawQuery))
        }
        let form = "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2FAudit"
            + "&RoleSessionName=trailwarden&ExternalId=ext%2Bid%3D1"
        cases.append(Case(service: "sts", method: "POST", host: "sts.us-east-1.amazonaws.com", path: "/",
                          headers: [["Content-Type", "application/x-www-form-urlencoded; charset=utf-8"]],
                          body: base64(form), sessionToken: token))
        cases.append(Case(service: "sts", region: "cn-north-1", method: "POST", host: "STS.CN-NORTH-1.AMAZONAWS.COM.CN",
                          path: "", headers: [["Content-Type", "application/x-www-form-urlencoded; charset=utf-8"]],
                          body: base64("Action=GetCallerIdentity&Version=2011-06-15")))
        cases.append(Case(service: "cloudtrail", method: "POST", host: "cloudtrail.us-east-1.amazonaws.com:443", path: "/",
                          headers: [["X-Amz-Target", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.ListPublicKeys"],
                                    ["Content-Type", "application/x-amz-json-1.1"],
                                    ["User-Agent", "trailwarden/1.0 (not signed)"],
                                    ["X-Custom", "  first   value\twith  tabs "], ["x-custom", "second"],
                                    ["X-Amz-Meta-Empty", ""]],
                          body: base64(#"{"StartTime": 1768467007, "EndTime": 1768470607}"#), sessionToken: token))
        cases.append(Case(service: "organizations", method: "POST", host: "organizations.us-east-1.amazonaws.com", path: "/",
                          headers: [["X-Amz-Target", "AWSOrganizationsV20161128.ListAccounts"],
                                    ["Content-Type", "application/x-amz-json-1.1"]],
                          body: base64(#"{"NextToken": "a+b/c=="}"#), time: "20261231T235959Z"))
        cases.append(Case(service: "s3", method: "PUT", host: bucketHost, path: "/uploads/ünï code+.bin",
                          headers: [["Content-Type", "application/octet-stream"], ["Range", "bytes=0-9"],
                                    ["X-Amz-Meta-Note", "  spaced    out  "]],
                          body: Data((0..<4096).map { UInt8($0 % 256) }).base64EncodedString(), sessionToken: token,
                          time: "20240229T000000Z"))
        return cases
    }()

    @Test func matchesBotocore() async throws {
        let input = try JSONEncoder().encode(Self.cases)
        let output = try await ReferencePython.run("sigv4_reference.py", input: [UInt8](input))
        let expectations = try JSONDecoder().decode([Expected].self, from: Data(output))
        try #require(expectations.count == Self.cases.count)
        for (testCase, expected) in zip(Self.cases, expectations) {
            let request = testCase.request
            let credentials = AWSCredentials(accessKeyID: testCase.accessKeyID, secretAccessKey: testCase.secretAccessKey,
                                             sessionToken: testCase.sessionToken)
            let (signed, signature) = try SigV4Signer(service: testCase.service, region: testCase.region)
                .signature(of: request, credentials: credentials, at: testCase.date)
            let context = Comment(rawValue: "\(testCase.service) \(testCase.method) \(expected.url)")
            #expect(request.url == expected.url, context)
            #expect(signature.canonicalRequest.text == expected.canonicalRequest, context)
            #expect(signature.stringToSign == expected.stringToSign, context)
            for name in ["Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-SHA256"] {
                let values = signed.headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
                #expect(values == (expected.headers[name].map { [$0] } ?? []), "\(name): \(context.rawValue)")
            }
        }
    }
}
