import Foundation
import Testing
import TrailWardenCrypto
import TrailWardenHTTP
import TrailWardenStorage
import TrailWardenTestSupport
import TrailWardenVocabulary
@testable import TrailWardenAWS

/// S3 reads against the test server's faulty S3: only S3's own NoSuchKey is
/// "not found", and a body that is not the object is a retried fault.
@Suite struct S3IntegrityTests {
    static func store(_ server: TestHTTPServer, attempts: Int = 3) -> S3ObjectStore {
        let transport = AWSTransport(http: CurlHTTPClient(), credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKID", secretAccessKey: "s")),
                                     endpointOverride: server.url("/s3"), retry: RetryPolicy(maxAttempts: attempts), sleep: { _ in })
        return S3ObjectStore(client: S3Client(transport: transport, region: "us-east-1"))
    }

    static func content(_ key: String) -> [UInt8] { Array(String(repeating: "object \(key)", count: 50).utf8) }

    static func kind(of read: () async throws -> Void) async -> ObjectStoreError.Kind? {
        do {
            try await read()
            return nil
        } catch let error as ObjectStoreError {
            return error.kind
        } catch {
            Issue.record("not a store error: \(error)")
            return nil
        }
    }

    @Test(arguments: ["html404", "garbage", "etag", "sha256", "short", "long", "reset"])
    func aFaultyAnswerIsRetriedAndThenAnErrorNeverAFinding(fault: String) async throws {
        try await TestHTTPServer.with { server in
            let store = Self.store(server)
            let once = ObjectLocation(bucket: "b", key: "\(fault)-1-a")
            let recovered = try await store.get(once).body
            #expect(recovered == Self.content(once.key))
            let always = ObjectLocation(bucket: "b", key: "\(fault)-9-a")
            #expect(await Self.kind { _ = try await store.get(always) } == .unavailable)
            let fine = try await store.get(ObjectLocation(bucket: "b", key: "fine-0-a")).body
            #expect(fine == Self.content("fine-0-a"))
        }
    }

    @Test func onlyS3sOwnAnswersSayNotFoundOrNoSuchBucket() async throws {
        try await TestHTTPServer.with { server in
            let store = Self.store(server)
            #expect(await Self.kind { _ = try await store.get(ObjectLocation(bucket: "b", key: "nosuchkey-9-a")) } == .notFound)
            #expect(await Self.kind { _ = try await store.get(ObjectLocation(bucket: "b", key: "nosuchbucket-9-a")) } == .noSuchBucket)
            var body = BodyCollector(limit: 1 << 20, subject: "b")
            #expect(await Self.kind { _ = try await store.reread(ObjectLocation(bucket: "b", key: "html404-9-b"), into: &body) } == .unavailable)
            #expect(await Self.kind { _ = try await store.reread(ObjectLocation(bucket: "b", key: "nosuchkey-9-b"), into: &body) } == .notFound)
        }
    }

    @Test(arguments: ["kms-0-a", "composite-0-a", "sha256ok-0-a"])
    func bodiesWithoutAPlainChecksumOrWithAGoodOneAreAccepted(key: String) async throws {
        try await TestHTTPServer.with { server in
            let body = try await Self.store(server).get(ObjectLocation(bucket: "b", key: key)).body
            #expect(body == Self.content(key))
        }
    }

    @Test func rereadGoesOverAFreshConnection() async throws {
        try await TestHTTPServer.with { server in
            let store = Self.store(server)
            let location = ObjectLocation(bucket: "b", key: "fine-0-a")
            var first = BodyCollector(limit: 1 << 20, subject: "first")
            let firstConnection = try await store.read(location, into: &first)["connection"]
            var again = BodyCollector(limit: 1 << 20, subject: "again")
            #expect(try await store.read(location, into: &again)["connection"] == firstConnection)
            var second = BodyCollector(limit: 1 << 20, subject: "second")
            let rereadConnection = try await store.reread(location, into: &second)["connection"]
            #expect(rereadConnection != firstConnection)
            #expect(second.bytes == first.bytes)
            var third = BodyCollector(limit: 1 << 20, subject: "third")
            #expect(try await store.read(location, into: &third)["connection"] == firstConnection)
        }
    }

    @Test func getObjectAsksForChecksums() async throws {
        let http = FakeHTTPClient()
        await http.on("GET", "https://b-1.s3.us-east-1.amazonaws.com/k", body: "data")
        _ = try await S3ObjectStore(client: S3Client(transport: ServiceAnswerTests.transport(http), region: "us-east-1"))
            .get(ObjectLocation(bucket: "b-1", key: "k"))
        #expect(await http.requests.first?.headers.contains { $0.name == "x-amz-checksum-mode" && $0.value == "ENABLED" } == true)
    }

    @Test func aCancelledListingThrowsInsteadOfEndingShort() async throws {
        let http = FakeHTTPClient()
        await http.on("GET", "https://b-1.s3.us-east-1.amazonaws.com/?list-type=2&max-keys=1000&prefix=p%2F", body: ServiceAnswerTests.listPage1)
        await http.on("GET", "https://b-1.s3.us-east-1.amazonaws.com/?list-type=2&max-keys=1000&prefix=p%2F&continuation-token=token-2", .hang)
        let store = S3ObjectStore(client: S3Client(transport: ServiceAnswerTests.transport(http), region: "us-east-1"))
        let listing = Task { try await store.allKeys(bucket: "b-1", prefix: "p/") }
        while await http.requests.count < 2 { await Task.yield() }
        listing.cancel()
        await #expect(throws: CancellationError.self) { _ = try await listing.value }
    }

    @Test func persistentAssumeRoleThrottlingIsAnAssumeRoleErrorNotAStoreAnswer() async throws {
        let http = FakeHTTPClient()
        await http.on("POST", "https://sts.us-east-1.amazonaws.com/", status: 400, body: STSRecordings.throttling)
        let sts = STSClient(http: http, region: "us-east-1", retry: RetryPolicy(maxAttempts: 2), sleep: { _ in })
        let role = AssumeRoleCredentialProvider(source: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKID", secretAccessKey: "s")),
                                                sts: sts, roleARN: "arn:aws:iam::111111111111:role/X", clock: { Date() })
        let transport = AWSTransport(http: http, credentials: role, retry: RetryPolicy(maxAttempts: 2), sleep: { _ in })
        let store = S3ObjectStore(client: S3Client(transport: transport, region: "us-east-1"))
        let error = await #expect(throws: AWSCallError.self) { _ = try await store.allKeys(bucket: "b-1", prefix: "AWSLogs/") }
        #expect(error?.description.hasPrefix("AssumeRole arn:aws:iam::111111111111:role/X: Throttling: ") == true)
        #expect(await http.requests.count == 2)
    }

    @Test func crcsMatchTheirCheckValues() {
        for (polynomial, check) in [(CRC32.Polynomial.ieee, [0xCB, 0xF4, 0x39, 0x26] as [UInt8]), (.castagnoli, [0xE3, 0x06, 0x92, 0x83])] {
            var crc = CRC32(polynomial)
            Array("123456789".utf8).withUnsafeBytes { crc.update($0) }
            #expect(crc.bigEndianBytes == check)
        }
    }
}

@Suite struct UnresolvableEndpointTests {
    final class Sleeps: @unchecked Sendable {
        private let lock = NSLock()
        private var total = 0
        func add() { lock.withLock { total += 1 } }
        var count: Int { lock.withLock { total } }
    }

    @Test func anUnresolvableEndpointIsRetriedThenReportedAsSuch() async throws {
        let sleeps = Sleeps()
        let transport = AWSTransport(http: CurlHTTPClient(configuration: .init(maxConcurrentRequests: 1, connectTimeout: .seconds(5))),
                                     credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKID", secretAccessKey: "s")),
                                     endpointOverride: "http://no-such-host.invalid", retry: RetryPolicy(maxAttempts: 3), sleep: { _ in sleeps.add() })
        let store = S3ObjectStore(client: S3Client(transport: transport, region: "us-east-1"))
        let error = await #expect(throws: ObjectStoreError.self) { _ = try await store.get(ObjectLocation(bucket: "b", key: "k")) }
        #expect(error?.kind == .unavailable)
        #expect(error?.message.contains("could not resolve host no-such-host.invalid") == true, "\(String(describing: error))")
        #expect(sleeps.count == 2)
    }
}
