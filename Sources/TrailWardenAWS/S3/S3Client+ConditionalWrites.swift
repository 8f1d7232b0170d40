import Foundation
import TrailWardenHTTP

/// What must hold for a conditional write to go through.
public enum S3WriteCondition: Sendable, Equatable {
    /// No object has the key (`If-None-Match: *`): creating, never replacing.
    case absent
    /// The object is still the one with this ETag (`If-Match`): replacing only what was read.
    case matches(String)
}

/// Conditional writes, the compare-and-swap S3 offers: a write whose condition no
/// longer holds fails with 412 (or 409 when another conditional write is under way)
/// instead of silently replacing someone else's object.
extension S3Client {
    /// Writes `body` only if `condition` holds and returns the new object's ETag.
    public func putObject(bucket: String, key: String, body: [UInt8], if condition: S3WriteCondition) async throws -> String {
        let header: (name: String, value: String)
        switch condition {
        case .absent: header = ("If-None-Match", "*")
        case .matches(let etag): header = ("If-Match", etag)
        }
        let response = try await send("PUT", bucket: bucket, key: key, query: [], headers: [header], body: body)
        guard let etag = response.header("ETag"), !etag.isEmpty else {
            throw AWSError.invalidResponse("PutObject answer for s3://\(bucket)/\(key) has no ETag", response: response)
        }
        return etag
    }

    /// Deletes the object only while it is still the one with `etag`.
    public func deleteObject(bucket: String, key: String, ifMatch etag: String) async throws {
        _ = try await send("DELETE", bucket: bucket, key: key, query: [], headers: [("If-Match", etag)])
    }

    /// The object's ETag, or nil when S3 answers 404 for it.
    public func headObjectETag(bucket: String, key: String) async throws -> String? {
        do {
            let response = try await send("HEAD", bucket: bucket, key: key, query: [])
            guard let etag = response.header("ETag"), !etag.isEmpty else {
                throw AWSError.invalidResponse("HeadObject answer for s3://\(bucket)/\(key) has no ETag", response: response)
            }
            return etag
        } catch let error as AWSError where error.status == 404 {
            return nil
        }
    }

    /// Whether `error` says a conditional write's condition did not hold.
    public static func isConditionFailure(_ error: any Error) -> Bool {
        guard let error = error as? AWSError else { return false }
        return error.status == 412 || error.status == 409 || ["PreconditionFailed", "ConditionalRequestConflict"].contains(error.code)
    }
}
