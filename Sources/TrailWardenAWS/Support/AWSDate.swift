import Foundation

/// The two date forms AWS uses: SigV4's compact `20260101T120000Z`, and the
/// ISO 8601 timestamps of credential expirations, which arrive with or without
/// fractional seconds and with `Z` or a numeric offset depending on the source
/// (STS, IMDS, ECS, or whatever a `credential_process` prints).
///
/// Done by hand over `timegm`/`gmtime_r` so results never depend on a locale,
/// a time zone setting or a formatter's leniency.
public enum AWSDate {
    /// `yyyyMMdd'T'HHmmss'Z'` in UTC, truncated to the second.
    public static func amzDate(_ date: Date) -> String {
        let (year, month, day, hour, minute, second) = utcFields(date)
        return pad(year, 4) + pad(month, 2) + pad(day, 2) + "T" + pad(hour, 2) + pad(minute, 2) + pad(second, 2) + "Z"
    }

    /// `yyyy-MM-dd'T'HH:mm:ss'Z'` in UTC, truncated to the second.
    public static func iso8601(_ date: Date) -> String {
        let (year, month, day, hour, minute, second) = utcFields(date)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))Z"
    }

    /// Parses `yyyy-MM-ddTHH:mm:ss[.fraction](Z|±HH:mm|±HHmm)`; nil for anything else.
    public static func parseISO8601(_ text: String) -> Date? {
        let chars = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= chars.count else { return nil }
            var value = 0
            for char in chars[start..<start + count] {
                guard char >= UInt8(ascii: "0"), char <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(char - UInt8(ascii: "0"))
            }
            return value
        }
        func literal(_ index: Int, _ options: String) -> Bool {
            index < chars.count && options.utf8.contains(chars[index])
        }
        guard let year = number(0, 4), literal(4, "-"), let month = number(5, 2), literal(7, "-"),
              let day = number(8, 2), literal(10, "Tt "), let hour = number(11, 2), literal(13, ":"),
              let minute = number(14, 2), literal(16, ":"), let second = number(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var fraction = 0.0
        if literal(index, ".") {
            var scale = 0.1
            index += 1
            let start = index
            while let digit = number(index, 1) {
                fraction += Double(digit) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offset = 0
        if literal(index, "Zz") {
            index += 1
        } else if literal(index, "+-") {
            let sign = chars[index] == UInt8(ascii: "-") ? -1 : 1
            guard let offsetHours = number(index + 1, 2) else { return nil }
            let colon = literal(index + 3, ":") ? 1 : 0
            guard let offsetMinutes = number(index + 3 + colon, 2) else { return nil }
            offset = sign * (offsetHours * 3600 + offsetMinutes * 60)
            index += 5 + colon
        } else {
            return nil
        }
        guard index == chars.count else { return nil }
        var fields = tm()
        fields.tm_year = Int32(year - 1900)
        fields.tm_mon = Int32(month - 1)
        fields.tm_mday = Int32(day)
        fields.tm_hour = Int32(hour)
        fields.tm_min = Int32(minute)
        fields.tm_sec = Int32(second)
        let seconds = timegm(&fields)
        return Date(timeIntervalSince1970: Double(seconds - offset) + fraction)
    }

    private static func utcFields(_ date: Date) -> (Int, Int, Int, Int, Int, Int) {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var fields = tm()
        gmtime_r(&seconds, &fields)
        return (Int(fields.tm_year) + 1900, Int(fields.tm_mon) + 1, Int(fields.tm_mday),
                Int(fields.tm_hour), Int(fields.tm_min), Int(fields.tm_sec))
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
