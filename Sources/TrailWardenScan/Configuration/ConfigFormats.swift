/// The shapes of the identifiers a configuration names, checked when the file
/// is read so a typo fails at once rather than as an AWS error mid-scan.
enum ConfigFormat {
    static func isAccountID(_ text: String) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { (0x30...0x39).contains($0) }
    }

    /// `^[a-z]{2}(-[a-z]+)+-\d+$`: `us-east-1`, `us-gov-west-1`, `cn-north-1`.
    static func isRegion(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3, let first = parts.first, let last = parts.last else { return false }
        return first.count == 2 && first.allSatisfy(isLowercaseLetter)
            && parts.dropFirst().dropLast().allSatisfy { !$0.isEmpty && $0.allSatisfy(isLowercaseLetter) }
            && !last.isEmpty && last.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// `aws`, `aws-cn`, `aws-us-gov`, `aws-iso-b`, …
    static func isPartition(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        return parts.first == "aws" && parts.dropFirst().allSatisfy { !$0.isEmpty && $0.allSatisfy(isLowercaseLetter) }
    }

    /// S3's rules for new buckets: 3 to 63 lower-case letters, digits, dots and
    /// hyphens, starting and ending with a letter or digit.
    static func isBucketName(_ text: String) -> Bool {
        guard (3...63).contains(text.count), let first = text.first, let last = text.last else { return false }
        let edge: (Character) -> Bool = { isLowercaseLetter($0) || ($0.isASCII && $0.isNumber) }
        return edge(first) && edge(last) && text.allSatisfy { edge($0) || $0 == "." || $0 == "-" }
    }

    /// `o-` and 10 to 32 lower-case letters or digits.
    static func isOrganizationID(_ text: String) -> Bool {
        guard text.hasPrefix("o-") else { return false }
        let rest = text.dropFirst(2)
        return (10...32).contains(rest.count) && rest.allSatisfy { isLowercaseLetter($0) || ($0.isASCII && $0.isNumber) }
    }

    /// The characters IAM allows in role names, session names and external
    /// IDs (`[\w+=,.@-]`), plus `extra`.
    static func isIAMText(_ text: String, length: ClosedRange<Int>, extra: Set<Character> = []) -> Bool {
        length.contains(text.count) && text.allSatisfy {
            ($0.isASCII && ($0.isLetter || $0.isNumber)) || "_+=,.@-".contains($0) || extra.contains($0)
        }
    }

    private static func isLowercaseLetter(_ character: Character) -> Bool {
        character.isASCII && character.isLowercase
    }
}

extension ConfigNode {
    func accountID() throws(ConfigurationError) -> String {
        let text = try string("a 12-digit account id")
        guard ConfigFormat.isAccountID(text) else { throw mismatch("a 12-digit account id") }
        return text
    }

    func region() throws(ConfigurationError) -> String {
        let text = try string("a region like \"us-east-1\"")
        guard ConfigFormat.isRegion(text) else { throw mismatch("a region like \"us-east-1\"") }
        return text
    }

    func bucketName() throws(ConfigurationError) -> String {
        let text = try string("an S3 bucket name")
        guard ConfigFormat.isBucketName(text) else { throw mismatch("an S3 bucket name") }
        return text
    }

    /// A list of account ids with no repeats.
    func accountIDs() throws(ConfigurationError) -> [String] {
        var result: [String] = []
        for element in try array("a list of 12-digit account ids") {
            let account = try element.accountID()
            guard !result.contains(account) else { throw element.error("repeats the account \(account)") }
            result.append(account)
        }
        return result
    }
}
