import Foundation
import Synchronization
import TrailWardenHTTP
import TrailWardenVocabulary

/// One page of a ListObjectsV2 answer.
public struct S3ListPage: Sendable {
    public var keys: [String]
    public var commonPrefixes: [String]
    public var nextContinuationToken: String?
    /// When each listed key was last written, as S3 said (keys whose time is missing or unreadable are left out).
    public var lastModified: [String: Date] = [:]
}

/// The S3 calls TrailWarden makes, with virtual-hosted addressing against AWS
/// and path-style against a custom endpoint. A bucket in another region is
/// found with GetBucketLocation when S3 redirects, and remembered.
public struct S3Client: Sendable {
    public let transport: AWSTransport
    public let defaultRegion: String
    private let regions = BucketRegions()

    public init(transport: AWSTransport, region: String) {
        self.transport = transport
        defaultRegion = region
    }

    // MARK: Objects

    public func listObjectsV2(bucket: String, prefix: String, startAfter: String? = nil, continuationToken: String? = nil,
                              delimiter: String? = nil, maxKeys: Int = 1000) async throws -> S3ListPage {
        var query = [("list-type", "2"), ("max-keys", String(maxKeys)), ("prefix", prefix)]
        if let startAfter { query.append(("start-after", startAfter)) }
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        if let delimiter { query.append(("delimiter", delimiter)) }
        let response = try await send("GET", bucket: bucket, key: nil, query: query)
        guard let tree = try? XMLTree.parse(response.body), tree.name == "ListBucketResult" else {
            throw AWSError.invalidResponse("ListObjectsV2 answer is not a ListBucketResult", response: response)
        }
        let truncated = tree.value("IsTruncated") == "true"
        let contents = tree.children(named: "Contents")
        var lastModified = [String: Date]()
        for object in contents {
            if let key = object.value("Key"), let time = object.value("LastModified").flatMap(CloudTrailTime.parseTimestamp) { lastModified[key] = time }
        }
        return S3ListPage(keys: contents.compactMap { $0.value("Key") },
                          commonPrefixes: tree.children(named: "CommonPrefixes").compactMap { $0.value("Prefix") },
                          nextContinuationToken: truncated ? tree.value("NextContinuationToken") : nil, lastModified: lastModified)
    }

    /// Streams an object's body into `consumer`, checked as it streams (see
    /// `CheckedBody`), and returns its user metadata. With `freshConnection`
    /// the object is read over a new connection of its own.
    public func getObject<Consumer: BodyConsumer>(bucket: String, key: String, freshConnection: Bool = false,
                                                  into consumer: inout Consumer) async throws -> [String: String] {
        var checked = CheckedBody(consumer)
        defer { consumer = checked.inner }
        let object = "s3://\(bucket)/\(key)"
        let response = try await withRegion(of: bucket) { region in
            var get = request("GET", bucket: bucket, key: key, query: [], headers: [("x-amz-checksum-mode", "ENABLED")], region: region)
            get.freshConnection = freshConnection
            return try await transport.stream(get, signingName: "s3", region: region, into: &checked) { _, body in try body.verify(object) }
        }
        return Self.userMetadata(response)
    }

    public func putObject(bucket: String, key: String, body: [UInt8], metadata: [String: String] = [:]) async throws {
        let headers = metadata.sorted { $0.key < $1.key }.map { (name: "x-amz-meta-\($0.key)", value: $0.value) }
        _ = try await send("PUT", bucket: bucket, key: key, query: [], headers: headers, body: body)
    }

    public func deleteObject(bucket: String, key: String) async throws {
        _ = try await send("DELETE", bucket: bucket, key: key, query: [])
    }

    // MARK: Buckets

    /// Creates the bucket in the client's region; an existing bucket of the caller's is fine.
    public func createBucket(_ bucket: String) async throws {
        let body = defaultRegion == "us-east-1" ? [] : Array(
            "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>\(defaultRegion)</LocationConstraint></CreateBucketConfiguration>".utf8)
        do {
            _ = try await transport.send(request("PUT", bucket: bucket, key: nil, query: [], body: body, region: defaultRegion),
                                         signingName: "s3", region: defaultRegion)
        } catch let error as AWSError where error.code == "BucketAlreadyOwnedByYou" {
            return
        }
    }

    /// The bucket's region; S3 answers an empty constraint for us-east-1 and `EU` for eu-west-1.
    public func getBucketLocation(_ bucket: String) async throws -> String {
        let locator = transport.configuredEndpoint(service: "s3") == nil ? "us-east-1" : defaultRegion
        let response = try await transport.send(request("GET", bucket: bucket, key: nil, query: [("location", "")], region: locator),
                                                signingName: "s3", region: locator)
        guard let tree = try? XMLTree.parse(response.body), tree.name == "LocationConstraint" else {
            throw AWSError.invalidResponse("GetBucketLocation answer is not a LocationConstraint", response: response)
        }
        switch tree.text.trimmingCharacters(in: .whitespacesAndNewlines) {
        case "": return "us-east-1"
        case "EU": return "eu-west-1"
        case let region: return region
        }
    }

    // MARK: Plumbing

    func send(_ method: String, bucket: String, key: String?, query: [(String, String)],
              headers: [(name: String, value: String)] = [], body: [UInt8] = []) async throws -> HTTPResponse {
        try await withRegion(of: bucket) { region in
            try await transport.send(request(method, bucket: bucket, key: key, query: query, headers: headers, body: body, region: region),
                                     signingName: "s3", region: region)
        }
    }

    /// Runs `operation` in the bucket's known region; when S3 says the bucket
    /// lives elsewhere, takes the region from its `x-amz-bucket-region` hint
    /// (else asks GetBucketLocation), remembers it, and runs it again.
    private func withRegion<Result>(of bucket: String, _ operation: (String) async throws -> Result) async throws -> Result {
        let known = regions.region(of: bucket)
        do {
            return try await operation(known ?? defaultRegion)
        } catch let error as AWSError where known == nil && transport.configuredEndpoint(service: "s3") == nil && Self.isWrongRegion(error) {
            let actual: String
            if let hinted = error.bucketRegion {
                actual = hinted
            } else {
                actual = try await getBucketLocation(bucket)
            }
            regions.remember(actual, for: bucket)
            return try await operation(actual)
        }
    }

    static func isWrongRegion(_ error: AWSError) -> Bool {
        ["PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException"].contains(error.code)
            || error.status == 301 || error.status == 307
    }

    private func request(_ method: String, bucket: String, key: String?, query: [(String, String)],
                         headers: [(name: String, value: String)] = [], body: [UInt8] = [], region: String) -> HTTPRequest {
        let encodedKey = key.map { PercentEncoding.encode($0, keepingSlashes: true) }
        var url: String
        if transport.configuredEndpoint(service: "s3") == nil, Self.isVirtualHostable(bucket) {
            url = "https://\(bucket).s3.\(region).\(AWSEndpoints.dnsSuffix(forRegion: region))/" + (encodedKey ?? "")
        } else {
            url = transport.endpoint(service: "s3", region: region) + "/" + PercentEncoding.encode(bucket) + (encodedKey.map { "/" + $0 } ?? "")
        }
        if !query.isEmpty {
            url += "?" + PercentEncoding.query(query.map { (name: $0.0, value: $0.1) })
        }
        return HTTPRequest(method: method, url: url, headers: headers, body: body)
    }

    /// Buckets whose names are DNS labels without dots can be addressed as
    /// hosts (dots would break the TLS wildcard certificate).
    static func isVirtualHostable(_ bucket: String) -> Bool {
        (3...63).contains(bucket.count) && !bucket.contains(".")
            && bucket.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
            && bucket.first != "-" && bucket.last != "-"
    }

    static func userMetadata(_ response: HTTPResponse) -> [String: String] {
        var metadata = [String: String]()
        for (name, value) in response.headers where name.lowercased().hasPrefix("x-amz-meta-") {
            metadata[String(name.lowercased().dropFirst("x-amz-meta-".count))] = value
        }
        return metadata
    }
}

/// Bucket regions learnt during a run. A lock, not an actor: every request reads it.
final class BucketRegions: Sendable {
    private let regions = Mutex<[String: String]>([:])

    func region(of bucket: String) -> String? { regions.withLock { $0[bucket] } }
    func remember(_ region: String, for bucket: String) { regions.withLock { $0[bucket] = region } }
}
