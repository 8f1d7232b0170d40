/// A CloudTrail trail ARN, `arn:PARTITION:cloudtrail:REGION:ACCOUNT:trail/NAME`.
public struct TrailARN: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    public let partition: String
    /// The trail's home region.
    public let region: String
    public let accountID: String
    public let name: String

    /// Parses an ARN as strictly as the reference validator's pattern
    /// `arn:.+:cloudtrail:.+:\d{12}:trail/.+` allows, and no more loosely.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", !parts[1].isEmpty, parts[2] == "cloudtrail", !parts[3].isEmpty,
              parts[4].count == 12, parts[4].allSatisfy(\.isASCIIDigit),
              parts[5].hasPrefix("trail/"), parts[5].count > "trail/".count else { return nil }
        self.text = text
        partition = String(parts[1])
        region = String(parts[3])
        accountID = String(parts[4])
        // Like the reference, the name is what follows the last "/".
        name = String(text.split(separator: "/", omittingEmptySubsequences: false).last!)
    }

    public var description: String { text }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
