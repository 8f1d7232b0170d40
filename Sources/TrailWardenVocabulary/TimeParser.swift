import Foundation

/// Reads an ISO 8601 time over its UTF-8 bytes for `CloudTrailTime`. Lenient
/// mode takes what people type (no separators, no seconds, no zone, a date
/// alone); strict mode takes only the complete timestamps AWS writes.
struct TimeParser {
    private let bytes: [UInt8]
    private let strict: Bool
    private var index = 0

    init(_ text: String, strict: Bool) {
        bytes = Array(text.utf8)
        self.strict = strict
    }

    mutating func parse() -> Date? {
        guard let year = digits(4) else { return nil }
        let dashed = skip("-")
        guard dashed || !strict, let month = digits(2) else { return nil }
        if dashed, !skip("-") { return nil }
        guard let day = digits(2) else { return nil }
        var hour = 0, minute = 0, second = 0
        var fraction = 0.0
        var offsetSeconds = 0
        if skip("T") || skip("t") || skip(" ") {
            guard let h = digits(2) else { return nil }
            hour = h
            let colons = skip(":")
            guard colons || !strict, let m = digits(2) else { return nil }
            minute = m
            if colons ? skip(":") : nextIsDigit {
                guard let s = digits(2) else { return nil }
                second = s
                if skip(".") || (!strict && skip(",")) {
                    guard let value = fractionDigits() else { return nil }
                    fraction = value
                }
            } else if strict {
                return nil
            }
            if skip("Z") || skip("z") {
            } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                index += 1
                guard let offsetHours = digits(2) else { return nil }
                _ = skip(":")
                let offsetMinutes = digits(2)
                if strict, offsetMinutes == nil { return nil }
                offsetSeconds = sign * (offsetHours * 3600 + (offsetMinutes ?? 0) * 60)
            } else if strict {
                return nil
            }
        } else if strict {
            return nil
        }
        guard index == bytes.count, (1...12).contains(month), (1...31).contains(day),
              hour < 24, minute < 60, second < 61 else { return nil }
        var fields = tm()
        fields.tm_year = Int32(year - 1900)
        fields.tm_mon = Int32(month - 1)
        fields.tm_mday = Int32(day)
        fields.tm_hour = Int32(hour)
        fields.tm_min = Int32(minute)
        fields.tm_sec = Int32(second)
        var seconds = timegm(&fields)
        // timegm rolls February 30 over into March: such a day does not exist.
        var check = tm()
        gmtime_r(&seconds, &check)
        guard check.tm_mday == Int32(day) else { return nil }
        return Date(timeIntervalSince1970: Double(seconds - offsetSeconds) + fraction)
    }

    private var nextIsDigit: Bool {
        index < bytes.count && bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9")
    }

    private mutating func digits(_ count: Int) -> Int? {
        guard index + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[index..<index + count] {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        index += count
        return value
    }

    /// The digits after a decimal separator, as a fraction of a second; nil when there are none.
    private mutating func fractionDigits() -> Double? {
        var fraction = 0.0
        var scale = 0.1
        let start = index
        while nextIsDigit {
            fraction += Double(bytes[index] - UInt8(ascii: "0")) * scale
            scale /= 10
            index += 1
        }
        return index > start ? fraction : nil
    }

    private mutating func skip(_ char: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: char) else { return false }
        index += 1
        return true
    }
}
