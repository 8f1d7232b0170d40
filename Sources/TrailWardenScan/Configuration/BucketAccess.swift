extension ScanConfiguration {
    /// How to read a bucket that lives in another account than the trail, such
    /// as an organization trail's bucket in a Control Tower log-archive account:
    /// the trail's account cannot read it, a role in the bucket's account can.
    public struct BucketAccess: Sendable, Hashable {
        public let bucket: String
        /// The account that owns the bucket (the log-archive account).
        public let accountId: String
        public let role: RoleSpec

        /// The ARN to assume to read `bucket`.
        public func roleARN(partition: String) -> String {
            role.roleARN(account: accountId, partition: partition)
        }
    }
}

extension ScanConfiguration.BucketAccess {
    /// Reads the `buckets` map: bucket name → `{accountId, role}`.
    static func map(_ node: ConfigNode, partition: String) throws(ConfigurationError) -> [String: Self] {
        var result: [String: Self] = [:]
        for (bucket, entry) in try node.map() {
            guard ConfigFormat.isBucketName(bucket) else {
                throw entry.error("is not an S3 bucket name (3 to 63 lower-case letters, digits, dots or hyphens)")
            }
            let object = try entry.object(keys: ["accountId", "role"])
            result[bucket] = Self(bucket: bucket,
                                  accountId: try object.required("accountId").accountID(),
                                  role: try ScanConfiguration.RoleSpec(object.required("role"), over: nil, partition: partition))
        }
        return result
    }
}
