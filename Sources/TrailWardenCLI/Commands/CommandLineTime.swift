import Foundation
import TrailWardenCore
import TrailWardenVocabulary

extension ParsedArguments {
    /// A time option (`2026-01-01T00:00:00Z` or `2026-01-01`), nil when absent.
    func time(_ name: String) throws(UsageError) -> Date? {
        guard let text = value(name) else { return nil }
        return try Self.time(text, option: name)
    }

    /// A time option that must be given.
    func requiredTime(_ name: String) throws(UsageError) -> Date {
        try Self.time(required(name), option: name)
    }

    private static func time(_ text: String, option: String) throws(UsageError) -> Date {
        guard let date = CloudTrailTime.parse(text) else { throw UsageError("--\(option): Unable to parse date value: \(text)") }
        return date
    }
}
