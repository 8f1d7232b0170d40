/// The AWS partition a region belongs to, for the ARNs the exports write.
public enum AWSPartition {
    /// `aws-cn` for `cn-*` regions, `aws-us-gov` for `us-gov-*`, `aws` otherwise.
    public static func of(region: String) -> String {
        region.hasPrefix("cn-") ? "aws-cn" : region.hasPrefix("us-gov-") ? "aws-us-gov" : "aws"
    }
}
