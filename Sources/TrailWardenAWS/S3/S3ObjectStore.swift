import Foundation
import TrailWardenHTTP
import TrailWardenStorage

/// S3 behind the object-store protocol, so the validation engine reads S3
/// exactly as it reads a local archive. AWS errors become typed store errors:
/// a missing key is `.notFound` (a finding for the engine), anything else an
/// error that names the object, the AWS code and the request id.
public struct S3ObjectStore: WritableObjectStore {
    public let client: S3Client

    public init(client: S3Client) { self.client = client }

    public func listKeys(bucket: String, prefix: String, startAfter: String?) -> AsyncThrowingStream<String, any Error> {
        let client = self.client
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var token: String?
                    repeat {
                        let page = try await client.listObjectsV2(bucket: bucket, prefix: prefix, startAfter: token == nil ? startAfter : nil,
                                                                  continuationToken: token)
                        for key in page.keys { continuation.yield(key) }
                        token = page.nextContinuationToken
                    } while token != nil && !Task.isCancelled
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: S3ObjectStore.storeError(error, subject: "s3://\(bucket)/\(prefix)"))
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func read<Consumer: ObjectBodyConsumer>(_ location: ObjectLocation, into consumer: inout Consumer) async throws -> UserMetadata {
        var adapter = ConsumerAdapter(inner: consumer)
        defer { consumer = adapter.inner }
        do {
            return try await client.getObject(bucket: location.bucket, key: location.key, into: &adapter)
        } catch {
            throw Self.storeError(error, subject: location.description)
        }
    }

    public func metadata(of location: ObjectLocation) async throws -> UserMetadata {
        do {
            return try await client.headObject(bucket: location.bucket, key: location.key).metadata
        } catch {
            throw Self.storeError(error, subject: location.description)
        }
    }

    public func put(_ location: ObjectLocation, body: [UInt8], metadata: UserMetadata) async throws {
        do {
            try await client.putObject(bucket: location.bucket, key: location.key, body: body, metadata: metadata)
        } catch let error as AWSError where error.code == "NoSuchBucket" {
            try await client.createBucket(location.bucket)
            try await client.putObject(bucket: location.bucket, key: location.key, body: body, metadata: metadata)
        } catch {
            throw Self.storeError(error, subject: location.description)
        }
    }

    public func delete(_ location: ObjectLocation) async throws {
        do {
            try await client.deleteObject(bucket: location.bucket, key: location.key)
        } catch {
            throw Self.storeError(error, subject: location.description)
        }
    }

    /// Maps AWS and transport failures onto the store's error kinds; consumer
    /// errors (a gzip failure while hashing, say) pass through unchanged.
    static func storeError(_ error: any Error, subject: String) -> any Error {
        switch error {
        case let error as AWSError:
            let kind: ObjectStoreError.Kind
            if error.code == "NoSuchBucket" {
                kind = .noSuchBucket
            } else if error.code == "NoSuchKey" || error.status == 404 {
                kind = .notFound
            } else if error.code == "AccessDenied" || error.status == 403 {
                kind = .accessDenied
            } else if error.code == AWSError.invalidResponseCode {
                kind = .invalidResponse
            } else {
                kind = .unavailable
            }
            return ObjectStoreError(kind, subject, error.description, code: error.code)
        case let error as HTTPError:
            return ObjectStoreError(.unavailable, subject, error.description)
        default:
            return error
        }
    }
}

/// Lets an object-store consumer receive an HTTP body, restarting it when a
/// read is retried.
private struct ConsumerAdapter<Inner: ObjectBodyConsumer>: RestartableBodyConsumer {
    var inner: Inner

    mutating func consume(_ piece: UnsafeRawBufferPointer) throws { try inner.consume(piece) }
    mutating func restart() { inner.reset() }
}
