/// The AWS resources a finding involves, named the way Security Hub, OCSF and
/// EventBridge name resources (ARNs), so that a console's resource filter finds them.
extension FindingIdentity {
    /// `aws`, `aws-cn` or `aws-us-gov`: the trail ARN's partition, else the region's.
    public var partition: String {
        let parts = trailARN.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        if parts.count == 3, parts[0] == "arn", !parts[1].isEmpty { return String(parts[1]) }
        return AWSPartition.of(region: region ?? "")
    }

    /// The trail ARN, when `trailARN` is one (a `region-uncovered` finding has none).
    public var trail: String? {
        trailARN.hasPrefix("arn:") && trailARN.contains(":cloudtrail:") ? trailARN : nil
    }

    /// `arn:PARTITION:s3:::BUCKET/KEY` of the digest or log file, or of the digest folder,
    /// when the object is an S3 URL.
    public var s3ObjectARN: String? {
        guard object.hasPrefix("s3://"), object.count > 5 else { return nil }
        return "arn:\(partition):s3:::" + object.dropFirst(5)
    }

    /// The bucket of an S3 object.
    public var bucket: String? {
        guard object.hasPrefix("s3://") else { return nil }
        let bucket = object.dropFirst(5).prefix { $0 != "/" }
        return bucket.isEmpty ? nil : String(bucket)
    }

    /// The region the finding is about: the chain's source region; for `region-uncovered`
    /// the region of its `ACCOUNT/REGION` object; otherwise the trail's home region.
    public var region: String? {
        if let sourceRegion, !sourceRegion.isEmpty { return sourceRegion }
        if kind == .regionUncovered, let slash = object.lastIndex(of: "/") { return String(object[object.index(after: slash)...]) }
        let parts = trailARN.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count >= 6 && parts[0] == "arn" && !parts[3].isEmpty ? String(parts[3]) : nil
    }
}
