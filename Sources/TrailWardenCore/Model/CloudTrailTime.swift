import Foundation

/// The time formats CloudTrail and the reference validator use, in UTC.
public enum CloudTrailTime {
    /// `2026-01-01T05:21:42Z`: how the reference prints times.
    public static func display(_ date: Date) -> String { format(date, "%04d-%02d-%02dT%02d:%02d:%02dZ") }

    /// `20260101T052142Z`: the timestamp in digest file names.
    public static func keyStamp(_ date: Date) -> String { format(date, "%04d%02d%02dT%02d%02d%02dZ") }

    /// `20260101T0521Z`: the timestamp in log file names.
    public static func logKeyStamp(_ date: Date) -> String {
        let c = components(date)
        return String(format: "%04d%02d%02dT%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }

    /// `2026/01/01`: the day folder in digest and log keys.
    public static func dayPath(_ date: Date) -> String {
        let c = components(date)
        return String(format: "%04d/%02d/%02d", c.year!, c.month!, c.day!)
    }

    private static let utc = TimeZone(identifier: "UTC")!

    private static func components(_ date: Date) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = utc
        return calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    }

    private static func format(_ date: Date, _ pattern: String) -> String {
        let c = components(date)
        return String(format: pattern, c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// Parses the times users and CloudTrail write: ISO 8601 with or without
    /// separators, seconds, fractions and a zone (UTC when absent), a date
    /// alone, and the compact key stamps. Returns nil for anything else.
    public static func parse(_ text: String) -> Date? {
        let scalars = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= scalars.count else { return nil }
            var value = 0
            for offset in 0..<count {
                let char = scalars[index + offset]
                guard char >= 48, char <= 57 else { return nil }
                value = value * 10 + Int(char - 48)
            }
            index += count
            return value
        }
        func skip(_ char: Character) -> Bool {
            if index < scalars.count, scalars[index] == char.asciiValue! {
                index += 1
                return true
            }
            return false
        }
        guard let year = digits(4) else { return nil }
        let dashed = skip("-")
        guard let month = digits(2) else { return nil }
        if dashed, !skip("-") { return nil }
        guard let day = digits(2) else { return nil }
        var hour = 0, minute = 0, second = 0
        var fraction = 0.0
        var offsetSeconds = 0
        if skip("T") || skip("t") || skip(" ") {
            guard let h = digits(2) else { return nil }
            hour = h
            let colons = skip(":")
            guard let m = digits(2) else { return nil }
            minute = m
            if colons ? skip(":") : (index < scalars.count && scalars[index] >= 48 && scalars[index] <= 57) {
                guard let s = digits(2) else { return nil }
                second = s
                if skip(".") || skip(",") {
                    var scale = 0.1
                    var any = false
                    while index < scalars.count, scalars[index] >= 48, scalars[index] <= 57 {
                        fraction += Double(scalars[index] - 48) * scale
                        scale /= 10
                        index += 1
                        any = true
                    }
                    guard any else { return nil }
                }
            }
            if skip("Z") || skip("z") {
            } else if index < scalars.count, scalars[index] == 43 || scalars[index] == 45 {
                let sign = scalars[index] == 45 ? -1 : 1
                index += 1
                guard let oh = digits(2) else { return nil }
                _ = skip(":")
                let om = digits(2) ?? 0
                offsetSeconds = sign * (oh * 3600 + om * 60)
            }
        }
        guard index == scalars.count, (1...12).contains(month), (1...31).contains(day),
              hour < 24, minute < 60, second < 61 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = utc
        guard let base = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)),
              calendar.component(.day, from: base) == day else { return nil }
        return base.addingTimeInterval(fraction - Double(offsetSeconds))
    }
}
