import Foundation

/// A trail as DescribeTrails describes it.
public struct TrailDescription: Sendable, Hashable {
    public var name: String
    public var trailARN: String
    public var homeRegion: String
    public var s3BucketName: String
    public var s3KeyPrefix: String?
    public var isMultiRegionTrail: Bool
    public var isOrganizationTrail: Bool
    public var logFileValidationEnabled: Bool
}

/// A trail as ListTrails names it: enough to read it in its home region.
public struct TrailSummary: Sendable, Hashable {
    public var name: String
    public var trailARN: String
    public var homeRegion: String
}

/// What GetTrailStatus says of a trail's delivery.
public struct TrailStatus: Sendable, Hashable {
    public var isLogging: Bool
    public var latestDigestDeliveryTime: Date?
    public var latestDigestDeliveryError: String?
}

/// A public key record as ListPublicKeys returns it: the DER in base64, as AWS sends it.
public struct PublicKeyRecord: Sendable, Hashable {
    public var valueBase64: String
    public var fingerprint: String
    public var validityStart: Date?
    public var validityEnd: Date?
}

/// The CloudTrail calls TrailWarden needs, in one region.
public struct CloudTrailClient: Sendable {
    private let json: JSONProtocol
    public var region: String { json.region }

    public init(transport: AWSTransport, region: String) {
        json = JSONProtocol(transport: transport, service: "cloudtrail", region: region,
                            targetPrefix: "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101")
    }

    /// Every trail visible in the region; with shadow trails, also multi-region
    /// and organization trails whose home is elsewhere.
    public func describeTrails(includeShadowTrails: Bool = true) async throws -> [TrailDescription] {
        let answer = try await json.call("DescribeTrails", ["includeShadowTrails": includeShadowTrails])
        guard let list = answer["trailList"] as? [[String: Any]] else { return [] }
        return try list.map { try description($0, operation: "DescribeTrails") }
    }

    /// Every trail of the account, whatever its home region (ListTrails, all pages).
    public func listTrails() async throws -> [TrailSummary] {
        var trails = [TrailSummary]()
        try await json.pages("ListTrails", [:]) { page in
            for item in page["Trails"] as? [[String: Any]] ?? [] {
                let fields = JSONFields(object: item, operation: "ListTrails")
                trails.append(TrailSummary(name: try fields.string("Name"), trailARN: try fields.string("TrailARN"),
                                           homeRegion: fields.optionalString("HomeRegion") ?? region))
            }
        }
        return trails
    }

    /// One trail, asked in its home region (GetTrail).
    public func getTrail(_ nameOrARN: String) async throws -> TrailDescription {
        let answer = try await json.call("GetTrail", ["Name": nameOrARN])
        return try description(answer["Trail"] as? [String: Any] ?? [:], operation: "GetTrail")
    }

    private func description(_ item: [String: Any], operation: String) throws -> TrailDescription {
        let fields = JSONFields(object: item, operation: operation)
        return TrailDescription(name: try fields.string("Name"), trailARN: try fields.string("TrailARN"),
                                homeRegion: fields.optionalString("HomeRegion") ?? region,
                                s3BucketName: try fields.string("S3BucketName"), s3KeyPrefix: fields.optionalString("S3KeyPrefix"),
                                isMultiRegionTrail: fields.bool("IsMultiRegionTrail"), isOrganizationTrail: fields.bool("IsOrganizationTrail"),
                                logFileValidationEnabled: fields.bool("LogFileValidationEnabled"))
    }

    public func getTrailStatus(_ nameOrARN: String) async throws -> TrailStatus {
        let answer = try await json.call("GetTrailStatus", ["Name": nameOrARN])
        let fields = JSONFields(object: answer, operation: "GetTrailStatus")
        return TrailStatus(isLogging: fields.bool("IsLogging"), latestDigestDeliveryTime: fields.date("LatestDigestDeliveryTime"),
                           latestDigestDeliveryError: fields.optionalString("LatestDigestDeliveryError"))
    }

    /// The region's public keys whose validity overlaps [from, to], all pages.
    public func listPublicKeys(from: Date, to: Date) async throws -> [PublicKeyRecord] {
        var records = [PublicKeyRecord]()
        try await json.pages("ListPublicKeys", ["StartTime": from.timeIntervalSince1970, "EndTime": to.timeIntervalSince1970]) { page in
            for item in page["PublicKeyList"] as? [[String: Any]] ?? [] {
                let fields = JSONFields(object: item, operation: "ListPublicKeys")
                records.append(PublicKeyRecord(valueBase64: try fields.string("Value"), fingerprint: try fields.string("Fingerprint"),
                                               validityStart: fields.date("ValidityStartTime"), validityEnd: fields.date("ValidityEndTime")))
            }
        }
        return records
    }
}
