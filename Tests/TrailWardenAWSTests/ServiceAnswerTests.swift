import Foundation
import Testing
import TrailWardenHTTP
import TrailWardenStorage
import TrailWardenTestSupport
import TrailWardenVocabulary
@testable import TrailWardenAWS

/// The service clients on recorded answers: parsing, pagination, addressing,
/// region discovery and bad answers.
@Suite struct ServiceAnswerTests {
    static func transport(_ http: FakeHTTPClient, endpoint: String? = nil) -> AWSTransport {
        AWSTransport(http: http, credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKID", secretAccessKey: "secret")),
                     endpointOverride: endpoint, retry: RetryPolicy(maxAttempts: 2, baseDelay: 0.001, maxDelay: 0.001), sleep: { _ in })
    }

    static let listPage1 = """
    <?xml version="1.0" encoding="UTF-8"?>
    <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>p/</Prefix><KeyCount>2</KeyCount>
    <IsTruncated>true</IsTruncated><NextContinuationToken>token-2</NextContinuationToken>
    <Contents><Key>p/a b.json.gz</Key><Size>1</Size></Contents><Contents><Key>p/ü+=~.json.gz</Key><Size>1</Size></Contents></ListBucketResult>
    """
    static let listPage2 = """
    <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><IsTruncated>false</IsTruncated>
    <Contents><Key>p/z.json.gz</Key></Contents><CommonPrefixes><Prefix>p/sub/</Prefix></CommonPrefixes></ListBucketResult>
    """

    @Test func listsEveryPageVirtualHosted() async throws {
        let http = FakeHTTPClient()
        await http.on("GET", "https://trail-bucket.s3.eu-west-1.amazonaws.com/?list-type=2&max-keys=1000&prefix=p%2F&start-after=p%2F0", body: Self.listPage1)
        await http.on("GET", "https://trail-bucket.s3.eu-west-1.amazonaws.com/?list-type=2&max-keys=1000&prefix=p%2F&continuation-token=token-2", body: Self.listPage2)
        let store = S3ObjectStore(client: S3Client(transport: Self.transport(http), region: "eu-west-1"))
        let keys = try await store.allKeys(bucket: "trail-bucket", prefix: "p/", startAfter: "p/0")
        #expect(keys == ["p/a b.json.gz", "p/ü+=~.json.gz", "p/z.json.gz"])
    }

    @Test func usesPathStyleAgainstACustomEndpointAndEncodesKeys() async throws {
        let http = FakeHTTPClient()
        await http.on("GET", "http://127.0.0.1:5000/my.bucket/AWSLogs/a%20b/%C3%BC%2B%3D~.json.gz",
                      .response(HTTPResponse(status: 200, headers: [("x-amz-meta-Signature", "abc"), ("X-Amz-Meta-Signature-Algorithm", "SHA256withRSA")],
                                             body: [1, 2, 3])))
        let store = S3ObjectStore(client: S3Client(transport: Self.transport(http, endpoint: "http://127.0.0.1:5000/"), region: "us-east-1"))
        let object = try await store.get(ObjectLocation(bucket: "my.bucket", key: "AWSLogs/a b/ü+=~.json.gz"))
        #expect(object.body == [1, 2, 3])
        #expect(object.metadata == ["signature": "abc", "signature-algorithm": "SHA256withRSA"])
    }

    @Test func findsABucketInAnotherRegionAndRemembersIt() async throws {
        let http = FakeHTTPClient()
        let redirect = "<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message></Error>"
        await http.on("GET", "https://far-bucket.s3.us-east-1.amazonaws.com/k", status: 301, body: redirect)
        await http.on("GET", "https://far-bucket.s3.us-east-1.amazonaws.com/?location=",
                      body: #"<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">ap-southeast-2</LocationConstraint>"#)
        await http.on("GET", "https://far-bucket.s3.ap-southeast-2.amazonaws.com/k",
                      .response(HTTPResponse(status: 200, headers: [("x-amz-meta-signature", "s")])))
        let store = S3ObjectStore(client: S3Client(transport: Self.transport(http), region: "us-east-1"))
        #expect(try await store.get(ObjectLocation(bucket: "far-bucket", key: "k")).metadata == ["signature": "s"])
        #expect(try await store.get(ObjectLocation(bucket: "far-bucket", key: "k")).metadata == ["signature": "s"])
        #expect(await http.requests.map(\.url).filter { $0.contains("location") }.count == 1)
    }

    @Test func takesTheRegionFromTheRedirectHintWhenThereIsOne() async throws {
        let http = FakeHTTPClient()
        await http.on("GET", "https://hinted-bucket.s3.us-east-1.amazonaws.com/k",
                      .response(HTTPResponse(status: 301, headers: [("x-amz-bucket-region", "eu-central-1")],
                                             body: Array("<Error><Code>PermanentRedirect</Code><Message>m</Message></Error>".utf8))))
        await http.on("GET", "https://hinted-bucket.s3.eu-central-1.amazonaws.com/k", body: "data")
        let object = try await S3ObjectStore(client: S3Client(transport: Self.transport(http), region: "us-east-1"))
            .get(ObjectLocation(bucket: "hinted-bucket", key: "k"))
        #expect(object.body == Array("data".utf8))
        #expect(await http.requests.count == 2)
    }

    @Test func listRegionsAsksTheGlobalAccountEndpointForEveryPageOfEnabledRegions() async throws {
        let http = FakeHTTPClient()
        let url = "https://account.us-east-1.amazonaws.com/listRegions"
        await http.on("POST", url, .response(HTTPResponse(status: 200, body: Array("""
            {"NextToken":"page-2","Regions":[{"RegionName":"us-east-1","RegionOptStatus":"ENABLED_BY_DEFAULT"},{"RegionName":"me-south-1","RegionOptStatus":"ENABLED"}]}
            """.utf8))), .response(HTTPResponse(status: 200, body: Array("""
            {"Regions":[{"RegionName":"eu-west-1","RegionOptStatus":"ENABLED_BY_DEFAULT"},{"RegionName":"il-central-1","RegionOptStatus":"ENABLING"}]}
            """.utf8))))
        // Any region of the partition: Account answers in its global region.
        let regions = try await AccountClient(transport: Self.transport(http), partitionRegion: "eu-central-1").enabledRegions()
        #expect(regions == ["us-east-1", "me-south-1", "eu-west-1"])
        let requests = await http.requests
        #expect(requests.map(\.bodyText) == [#"{"MaxResults":50,"RegionOptStatusContains":["ENABLED","ENABLED_BY_DEFAULT"]}"#,
                                              #"{"MaxResults":50,"NextToken":"page-2","RegionOptStatusContains":["ENABLED","ENABLED_BY_DEFAULT"]}"#])
        #expect(requests.allSatisfy { $0.headers.contains { $0.name == "Authorization" && $0.value.contains("/us-east-1/account/aws4_request") } })
        #expect(requests.allSatisfy { $0.headers.contains { $0.name == "Content-Type" && $0.value == "application/json" } })
    }

    @Test func bucketLocationSpecialCases() async throws {
        let http = FakeHTTPClient()
        await http.on("GET", "https://old-bucket.s3.us-east-1.amazonaws.com/?location=", body: "<LocationConstraint>EU</LocationConstraint>")
        await http.on("GET", "https://new-bucket.s3.us-east-1.amazonaws.com/?location=", body: "<LocationConstraint/>")
        let client = S3Client(transport: Self.transport(http), region: "us-east-1")
        #expect(try await client.getBucketLocation("old-bucket") == "eu-west-1")
        #expect(try await client.getBucketLocation("new-bucket") == "us-east-1")
    }

    @Test func badAnswersAreTypedErrorsNeverData() async throws {
        let cases: [(FakeHTTPClient.Answer, ObjectStoreError.Kind)] = [
            (.response(HTTPResponse(status: 200, body: Array("<html><body>Welcome to nginx</body></html>".utf8))), .invalidResponse),
            (.response(HTTPResponse(status: 200, body: Array("<ListBucketResult><Contents><Key>a".utf8))), .invalidResponse),
            (.response(HTTPResponse(status: 200, body: Array("<Error><Code>InternalError</Code><Message>x</Message></Error>".utf8))), .invalidResponse),
            (.response(HTTPResponse(status: 502, body: Array("<html>Bad Gateway</html>".utf8))), .unavailable),
            (.response(HTTPResponse(status: 403, body: Array("<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>".utf8))), .accessDenied),
            (.response(HTTPResponse(status: 404, body: Array("<Error><Code>NoSuchBucket</Code><Message>no</Message></Error>".utf8))), .noSuchBucket),
            (.failure(HTTPError(.timedOut, "GET 127.0.0.1: no data for 30 s")), .unavailable),
        ]
        for (answer, kind) in cases {
            let http = FakeHTTPClient()
            await http.on("GET", "https://b-1.s3.us-east-1.amazonaws.com/?list-type=2&max-keys=1000&prefix=", answer)
            let store = S3ObjectStore(client: S3Client(transport: Self.transport(http), region: "us-east-1"))
            do {
                _ = try await store.allKeys(bucket: "b-1", prefix: "")
                Issue.record("accepted \(answer)")
            } catch let error as ObjectStoreError {
                #expect(error.kind == kind, "\(answer)")
                #expect(error.subject == "s3://b-1/")
            }
        }
    }

    @Test func missingObjectsAreNotFound() async throws {
        let http = FakeHTTPClient()
        await http.on("GET", "https://b-1.s3.us-east-1.amazonaws.com/gone", status: 404,
                      body: "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><RequestId>RID</RequestId></Error>")
        let store = S3ObjectStore(client: S3Client(transport: Self.transport(http), region: "us-east-1"))
        for read in [{ _ = try await store.get(ObjectLocation(bucket: "b-1", key: "gone")) },
                     {
                         var body = BodyCollector(limit: 1 << 20, subject: "gone")
                         _ = try await store.reread(ObjectLocation(bucket: "b-1", key: "gone"), into: &body)
                     }] as [() async throws -> Void] {
            do {
                try await read()
                Issue.record("read a missing object")
            } catch let error as ObjectStoreError {
                #expect(error.kind == .notFound)
            }
        }
    }

    @Test func cloudTrailAnswersAndPagination() async throws {
        let http = FakeHTTPClient()
        let url = "https://cloudtrail.eu-west-1.amazonaws.com/"
        await http.on("POST", url,
                      .response(HTTPResponse(status: 200, body: Array(#"{"trailList":[{"Name":"org","TrailARN":"arn:aws:cloudtrail:us-east-1:111111111111:trail/org","HomeRegion":"us-east-1","S3BucketName":"logs","S3KeyPrefix":"p","IsMultiRegionTrail":true,"IsOrganizationTrail":true,"LogFileValidationEnabled":true}]}"#.utf8))),
                      .response(HTTPResponse(status: 200, body: Array(#"{"PublicKeyList":[{"Value":"AAEC","Fingerprint":"f1","ValidityStartTime":1.7E9,"ValidityEndTime":1.8E9}],"NextToken":"n2"}"#.utf8))),
                      .response(HTTPResponse(status: 200, body: Array(#"{"PublicKeyList":[{"Value":"AwQF","Fingerprint":"f2"}]}"#.utf8))),
                      .response(HTTPResponse(status: 200, body: Array(#"{"IsLogging":false,"LatestDigestDeliveryTime":1.75E9}"#.utf8))))
        let client = CloudTrailClient(transport: Self.transport(http), region: "eu-west-1")
        let trails = try await client.describeTrails()
        #expect(trails.first?.isOrganizationTrail == true && trails.first?.s3KeyPrefix == "p" && trails.first?.homeRegion == "us-east-1")
        let keys = try await client.listPublicKeys(from: Date(timeIntervalSince1970: 0), to: Date(timeIntervalSince1970: 2e9))
        #expect(keys.map(\.fingerprint) == ["f1", "f2"])
        #expect(keys[0].validityStart == Date(timeIntervalSince1970: 1.7e9))
        let status = try await client.getTrailStatus("org")
        #expect(status.isLogging == false && status.latestDigestDeliveryTime == Date(timeIntervalSince1970: 1.75e9))
        let targets = await http.requests.compactMap { $0.headers.first { $0.name == "X-Amz-Target" }?.value }
        #expect(targets.map { $0.split(separator: ".").last! } == ["DescribeTrails", "ListPublicKeys", "ListPublicKeys", "GetTrailStatus"])
        #expect(String(decoding: await http.requests[2].body, as: UTF8.self).contains(#""NextToken":"n2""#))
    }

    @Test func organizationsPagesAccounts() async throws {
        let http = FakeHTTPClient()
        await http.on("POST", "https://organizations.us-east-1.amazonaws.com/",
                      .response(HTTPResponse(status: 200, body: Array(#"{"Accounts":[{"Id":"111111111111","Name":"a","Status":"ACTIVE"}],"NextToken":"t"}"#.utf8))),
                      .response(HTTPResponse(status: 200, body: Array(#"{"Accounts":[{"Id":"222222222222","Name":"b","Status":"SUSPENDED"}]}"#.utf8))))
        let accounts = try await OrganizationsClient(transport: Self.transport(http)).listAccounts()
        #expect(accounts.map(\.id) == ["111111111111", "222222222222"])
        #expect(accounts.last?.status == "SUSPENDED")
    }
}
