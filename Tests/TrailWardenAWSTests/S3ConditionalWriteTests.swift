import Foundation
import Testing
import TrailWardenAWS
import TrailWardenTestSupport
import TrailWardenVocabulary

/// S3's compare-and-swap as the emulator implements it (moto honours both headers on PutObject):
/// `If-None-Match: *` creates only, `If-Match` replaces only the object last seen.
struct S3ConditionalWriteTests {
    @Test func conditionalWritesCreateOnlyAndReplaceOnlyWhatWasRead() async throws {
        let client = S3Client(transport: try Emulator.transport(), region: "us-east-1")
        let bucket = Emulator.uniqueBucket("tw-conditional")
        try await client.createBucket(bucket)
        #expect(try await client.headObjectETag(bucket: bucket, key: "state.sqlite") == nil)

        let first = try await client.putObject(bucket: bucket, key: "state.sqlite", body: Array("one".utf8), if: .absent)
        #expect(try await client.headObjectETag(bucket: bucket, key: "state.sqlite") == first)
        await #expect(throws: AWSError.self) {
            _ = try await client.putObject(bucket: bucket, key: "state.sqlite", body: Array("again".utf8), if: .absent)
        }
        let second = try await client.putObject(bucket: bucket, key: "state.sqlite", body: Array("two".utf8), if: .matches(first))
        #expect(second != first)
        do {
            _ = try await client.putObject(bucket: bucket, key: "state.sqlite", body: Array("stale".utf8), if: .matches(first))
            Issue.record("a write on a stale ETag went through")
        } catch {
            #expect(S3Client.isConditionFailure(error), "\(error)")
        }
        var body = BodyCollector(limit: 1024, subject: "test")
        _ = try await client.getObject(bucket: bucket, key: "state.sqlite", into: &body)
        #expect(body.bytes == Array("two".utf8))

        try await client.deleteObject(bucket: bucket, key: "state.sqlite", ifMatch: second)
        #expect(try await client.headObjectETag(bucket: bucket, key: "state.sqlite") == nil)
        #expect(!S3Client.isConditionFailure(AWSError(code: "AccessDenied", message: "", status: 403)))
    }
}
