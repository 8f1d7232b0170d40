import Foundation
import TrailWardenHTTP
import TrailWardenStorage
import TrailWardenVocabulary

/// S3 behind the object-store protocol, so the validation engine reads S3
/// exactly as it reads a local archive. AWS errors become typed store errors:
/// only S3's own NoSuchKey is `.notFound` (a finding for the engine); any other
/// failure (a 404 page that is not S3's, a body failing its checksum) is an
/// error that names the object, the AWS code and the request id. Failures
/// that are not S3's answer about the object (credentials, cancellation) keep
/// their own identity.
public struct S3ObjectStore: WritableObjectStore {
    public let client: S3Client

    public init(client: S3Client) { self.client = client }

    /// Ends by throwing unless every page was listed: `CancellationError` when
    /// the task was cancelled, so a cut listing never looks complete.
    public func listKeys(bucket: String, prefix: String, startAfter: String?) -> AsyncThrowingStream<String, any Error> {
        let client = self.client
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var token: String?
                    repeat {
                        try Task.checkCancellation()
                        let page = try await client.listObjectsV2(bucket: bucket, prefix: prefix, startAfter: token == nil ? startAfter : nil,
                                                                  continuationToken: token)
                        for key in page.keys { continuation.yield(key) }
                        token = page.nextContinuationToken
                    } while token != nil
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: S3ObjectStore.storeError(error, subject: "s3://\(bucket)/\(prefix)"))
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func read<Consumer: BodyConsumer>(_ location: ObjectLocation, into consumer: inout Consumer) async throws -> UserMetadata {
        try await get(location, freshConnection: false, into: &consumer)
    }

    /// Reads over a new connection, closed afterwards, so that the second read
    /// shares nothing with the first but the object itself.
    public func reread<Consumer: BodyConsumer>(_ location: ObjectLocation, into consumer: inout Consumer) async throws -> UserMetadata {
        try await get(location, freshConnection: true, into: &consumer)
    }

    private func get<Consumer: BodyConsumer>(_ location: ObjectLocation, freshConnection: Bool, into consumer: inout Consumer) async throws -> UserMetadata {
        do {
            return try await client.getObject(bucket: location.bucket, key: location.key, freshConnection: freshConnection, into: &consumer)
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

    /// Maps S3's answers and transport failures onto the store's error kinds;
    /// anything else (a consumer's gzip failure, a credential failure, a
    /// cancellation) passes through unchanged.
    static func storeError(_ error: any Error, subject: String) -> any Error {
        switch error {
        case let error as AWSError:
            return ObjectStoreError(kind(of: error), subject, error.description, code: error.code)
        case let error as HTTPError:
            return ObjectStoreError(.unavailable, subject, error.description)
        case let error as BodyIntegrityError:
            return ObjectStoreError(.unavailable, subject, error.description)
        default:
            return error
        }
    }

    private static func kind(of error: AWSError) -> ObjectStoreError.Kind {
        switch error.code {
        case "NoSuchBucket": return .noSuchBucket
        case "NoSuchKey": return .notFound
        case "AccessDenied": return .accessDenied
        case AWSError.invalidResponseCode: return .invalidResponse
        default: return error.status == 403 && error.isServiceAnswer ? .accessDenied : .unavailable
        }
    }
}
