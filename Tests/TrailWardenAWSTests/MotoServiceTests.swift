import Foundation
import Testing
import TrailWardenHTTP
import TrailWardenStorage
import TrailWardenTestSupport
@testable import TrailWardenAWS

/// Every service call TrailWarden makes, against moto on 127.0.0.1 through the
/// real libcurl transport and SigV4.
@Suite struct MotoServiceTests {
    @Test func s3ObjectsBucketsAndListing() async throws {
        let client = S3Client(transport: try Emulator.transport(), region: "eu-west-1")
        let store = S3ObjectStore(client: client)
        let bucket = Emulator.uniqueBucket("tw-s3")
        try await client.createBucket(bucket)
        try await client.createBucket(bucket)
        #expect(try await client.getBucketLocation(bucket) == "eu-west-1")

        let body = [UInt8]((0..<3_000_000).map { UInt8($0 % 251) })
        let awkward = "AWSLogs/a b/ü+=~%!'()*.json.gz"
        try await store.put(ObjectLocation(bucket: bucket, key: awkward), body: body, metadata: ["signature": "abc123", "signature-algorithm": "SHA256withRSA"])
        let object = try await store.get(ObjectLocation(bucket: bucket, key: awkward))
        #expect(object.body == body)
        #expect(object.metadata == ["signature": "abc123", "signature-algorithm": "SHA256withRSA"])

        for index in 0..<25 { try await client.putObject(bucket: bucket, key: String(format: "many/%03d", index), body: [UInt8(index)]) }
        let page = try await client.listObjectsV2(bucket: bucket, prefix: "many/", maxKeys: 10)
        #expect(page.keys.count == 10 && page.nextContinuationToken != nil)
        #expect(try await store.allKeys(bucket: bucket, prefix: "many/", startAfter: "many/019") == (20..<25).map { String(format: "many/%03d", $0) })
        #expect(try await client.listObjectsV2(bucket: bucket, prefix: "", delimiter: "/").commonPrefixes == ["AWSLogs/", "many/"])

        try await store.delete(ObjectLocation(bucket: bucket, key: "many/000"))
        do {
            _ = try await store.get(ObjectLocation(bucket: bucket, key: "many/000"))
            Issue.record("read a deleted object")
        } catch let error as ObjectStoreError {
            #expect(error.kind == .notFound)
            #expect(error.code == "NoSuchKey")
        }
        do {
            _ = try await store.allKeys(bucket: Emulator.uniqueBucket("tw-none"), prefix: "")
            Issue.record("listed a missing bucket")
        } catch let error as ObjectStoreError {
            #expect(error.kind == .noSuchBucket)
        }
    }

    @Test func stsIdentityAndRoleAssumption() async throws {
        let sts = STSClient(http: Emulator.http, region: "us-east-1", endpoint: try Emulator.endpoint())
        let member = try await Emulator.credentials(for: "210987654321")
        #expect(try await sts.getCallerIdentity(credentials: member).account == "210987654321")
        #expect(!member.description.contains(member.secretAccessKey))
    }

    @Test func organizationsAndCloudTrail() async throws {
        let management = try await Emulator.credentials(for: "310987654321")
        let organization = try #require(try Emulator.admin(["create-organization"], as: management) as? [String: Any])
        _ = try Emulator.admin(["create-account", "member-one"], as: management)
        let transport = try Emulator.transport(management)
        let described = try await OrganizationsClient(transport: transport).describeOrganization()
        #expect(described.id == organization["Id"] as? String)
        #expect(described.managementAccountID == "310987654321")
        let accounts = try await OrganizationsClient(transport: transport).listAccounts()
        #expect(accounts.contains { $0.id == "310987654321" } && accounts.count >= 2)

        let bucket = Emulator.uniqueBucket("tw-trail")
        _ = try Emulator.admin(["create-bucket", bucket], as: management)
        _ = try Emulator.admin(["create-trail", "org-trail", bucket, "org", "us-east-1", "true"], as: management)
        let trails = try await CloudTrailClient(transport: transport, region: "eu-west-1").describeTrails()
        let trail = try #require(trails.first { $0.name == "org-trail" })
        #expect(trail.isOrganizationTrail && trail.isMultiRegionTrail && trail.s3BucketName == bucket && trail.s3KeyPrefix == "org")
        #expect(trail.homeRegion == "us-east-1" && trail.logFileValidationEnabled)
        let cloudtrail = CloudTrailClient(transport: transport, region: "us-east-1")
        #expect(try await cloudtrail.getTrailStatus(trail.trailARN).isLogging)
        _ = try Emulator.admin(["stop-logging", "org-trail", "us-east-1"], as: management)
        #expect(try await cloudtrail.getTrailStatus(trail.trailARN).isLogging == false)
    }

    @Test func accountListRegionsThroughTheEmulatorsExtensionAgreesWithDescribeRegions() async throws {
        let account = String(UInt64.random(in: 200_000_000_000...800_000_000_000))
        let credentials = try await Emulator.credentials(for: account)
        // Only the Account API's own endpoint setting reaches the emulator: every other service would go nowhere.
        let endpoints = ConfiguredEndpoints(environmentServices: ["account": try Emulator.endpoint()], environmentGlobal: "http://127.0.0.1:9")
        let accountAPI = AccountClient(transport: AWSTransport(http: Emulator.http, credentials: StaticCredentialProvider(credentials), endpoints: endpoints))
        let ec2 = EC2Client(transport: try Emulator.transport(credentials), region: "us-east-1")
        let listed = try await accountAPI.enabledRegions()
        #expect(listed.contains("us-east-1") && !listed.contains("me-south-1") && listed.allSatisfy { !$0.hasPrefix("cn-") })
        #expect(Set(listed) == Set(try await ec2.enabledRegions().filter { !$0.hasPrefix("cn-") && !$0.hasPrefix("us-gov-") }))

        _ = try Emulator.admin(["enable-region", "me-south-1"], as: credentials)
        #expect(Set(try await accountAPI.enabledRegions()) == Set(listed + ["me-south-1"]))
        #expect(try await ec2.enabledRegions().contains("me-south-1"))
        #expect(try await EC2Client(transport: try Emulator.transport(try await Emulator.credentials(for: "210987654321")), region: "us-east-1")
            .enabledRegions().contains("me-south-1") == false)

        _ = try Emulator.admin(["refuse-account-api", account, "true"])
        do {
            _ = try await accountAPI.enabledRegions()
            Issue.record("ListRegions answered though refused")
        } catch let error as AWSError {
            #expect(error.code == "AccessDeniedException" && error.status == 403)
        }
    }

    @Test func listPublicKeysThroughTheEmulatorsExtension() async throws {
        let keys = """
        {"PublicKeyList":[{"Value":"MIIBCgKCAQEAlSS3cl92HDycr/MTj0moOhas8habjrraXw+KzlWF0axSI2tcF+3iJ9BKQAVSKxGwxwu3m0wG3J+kUl1xboEcEPHYoIYMbgfSw7KGnuDKwkLzsQWhUJ0cIbOHASox1vv/5fNXkrHhGbDCHeVXm804c83nvHUEFYThr1PfyP/8HwrCtR3FX5OANtQCP61C1nJtSSkC8JSQUOrIP4CuwJjc+4WGDk+BGH5m9iuiAKkipEHWmUl8/P7XpfpWQuk4h8g3pXZOrNXr08lbh4d39svj7UqdhvOXoBISp9t/EXYuePGEtBdrKD9Dz+VHwyUPtBQvYr9BnkF88qBnaPNhS44rzwIDAQAB",
        "Fingerprint":"7f3f401420072e50a65a141430817ab3","ValidityStartTime":1453076702.0,"ValidityEndTime":1455668702.0}]}
        """
        let directory = try Emulator.publicKeysDirectory()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(keys.utf8).write(to: directory.appendingPathComponent("aws-example.json"))
        let client = CloudTrailClient(transport: try Emulator.transport(), region: "us-east-1")
        let inside = try await client.listPublicKeys(from: Date(timeIntervalSince1970: 1_454_000_000), to: Date(timeIntervalSince1970: 1_454_100_000))
        #expect(inside.contains { $0.fingerprint == "7f3f401420072e50a65a141430817ab3" && $0.valueBase64.hasPrefix("MIIBCgKCAQEAlSS3") })
        let outside = try await client.listPublicKeys(from: Date(timeIntervalSince1970: 1_300_000_000), to: Date(timeIntervalSince1970: 1_300_100_000))
        #expect(!outside.contains { $0.fingerprint == "7f3f401420072e50a65a141430817ab3" })
    }

    @Test func snsMessagesReachASubscribedQueue() async throws {
        let topic = try #require(try Emulator.admin(["subscribed-queue", "tw-alarms-\(UUID().uuidString.prefix(6))", "us-east-1"]) as? [String: String])
        let sns = SNSClient(transport: try Emulator.transport(), region: "us-east-1")
        let id = try await sns.publish(topicARN: topic["TopicArn"]!, subject: "TrailWarden: 2 findings", message: "body text",
                                       attributes: ["severity": "high", "account": "111111111111"])
        #expect(!id.isEmpty)
        let messages = try #require(try Emulator.admin(["receive", topic["QueueUrl"]!, "us-east-1"]) as? [[String: Any]])
        let message = try #require(messages.first)
        #expect(message["Subject"] as? String == "TrailWarden: 2 findings")
        #expect(message["Message"] as? String == "body text")
        let attributes = try #require(message["MessageAttributes"] as? [String: [String: String]])
        #expect(attributes["severity"]?["Value"] == "high")
    }

    @Test func cloudWatchMetricsAreRecorded() async throws {
        // moto matches metric statistics by name and dimensions across namespaces: keep both unique to this run.
        let namespace = "TrailWardenTest/\(UUID().uuidString.prefix(8))"
        let account = String(UInt64.random(in: 100_000_000_000...999_999_999_999))
        let cloudwatch = CloudWatchClient(transport: try Emulator.transport(), region: "us-east-1")
        try await cloudwatch.putMetricData(namespace: namespace, [
            MetricDatum(name: "InvalidDigests", value: 3, dimensions: ["AccountId": account]),
            MetricDatum(name: "ScanCompleted", value: 1),
        ])
        let metrics = try #require(try Emulator.admin(["metrics", namespace, "us-east-1"]) as? [[String: Any]])
        let invalid = try #require(metrics.first { $0["MetricName"] as? String == "InvalidDigests" })
        #expect(invalid["Values"] as? [Double] == [3])
        #expect((invalid["Dimensions"] as? [[String: String]])?.first?["Value"] == account)
        #expect(metrics.contains { $0["MetricName"] as? String == "ScanCompleted" })
    }
}
