import Foundation
import TrailWardenCore
import TrailWardenVocabulary

/// Time options (`--start-time`, `--since`, `--from`, …) accept what the AWS CLI
/// accepts: ISO 8601 with or without separators, seconds, fractions and offset
/// (UTC when absent), a bare date, and epoch seconds (`1767225600`, `1767225600.5`).
extension ParsedArguments {
    /// A time option, nil when absent.
    func time(_ name: String) throws(UsageError) -> Date? {
        guard let text = value(name) else { return nil }
        return try Self.time(text, option: name)
    }

    /// A time option that must be given.
    func requiredTime(_ name: String) throws(UsageError) -> Date {
        try Self.time(required(name), option: name)
    }

    /// The one message for a time that is not one: the AWS CLI's wording, then what would do.
    static func time(_ text: String, option: String) throws(UsageError) -> Date {
        guard let date = epochSeconds(text) ?? CloudTrailTime.parse(text) else {
            throw UsageError("--\(option): Unable to parse date value: \(text) (use ISO 8601 such as 2026-01-01T00:00:00Z, "
                             + "2026-01-01T02:00+02:00 or 2026-01-01, or epoch seconds)")
        }
        return date
    }

    /// Digits with an optional fraction, read as seconds since 1970 (UTC). Eight digits
    /// alone are a compact date (`20260101`), as the ISO parser reads them, not 1970's August.
    static func epochSeconds(_ text: String) -> Date? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.count != 8 || parts.count > 1,
              parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let seconds = Double(text), seconds <= 253_402_300_799 else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }
}
