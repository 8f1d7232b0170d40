import Foundation

/// The UTC time formats CloudTrail, the reference validator and AWS use: one
/// type for every layer, so the engine's key stamps, SigV4's `X-Amz-Date` and
/// the times people read are all printed and parsed by the same code.
///
/// Done by hand over `timegm`/`gmtime_r`, so results never depend on a locale,
/// a time zone setting or a formatter's leniency; formatting is on the hot path
/// (every digest key, every signed request).
public enum CloudTrailTime {
    /// `2026-01-01T05:21:42Z`: how the reference prints times (and AWS writes them).
    public static func display(_ date: Date) -> String {
        let f = UTCFields(date)
        return text([f.year, "-", f.month, "-", f.day, "T", f.hour, ":", f.minute, ":", f.second, "Z"])
    }

    /// `20260101T052142Z`: the timestamp in digest file names and SigV4's `X-Amz-Date`.
    public static func keyStamp(_ date: Date) -> String {
        let f = UTCFields(date)
        return text([f.year, f.month, f.day, "T", f.hour, f.minute, f.second, "Z"])
    }

    /// `20260101T0521Z`: the timestamp in log file names.
    public static func logKeyStamp(_ date: Date) -> String {
        let f = UTCFields(date)
        return text([f.year, f.month, f.day, "T", f.hour, f.minute, "Z"])
    }

    /// `2026/01/01`: the day folder in digest and log keys.
    public static func dayPath(_ date: Date) -> String {
        let f = UTCFields(date)
        return text([f.year, "/", f.month, "/", f.day])
    }

    /// Parses the times users and CloudTrail write: ISO 8601 with or without
    /// separators, seconds, fractions and a zone (UTC when absent), a date
    /// alone, and the compact key stamps. Returns nil for anything else.
    public static func parse(_ text: String) -> Date? {
        var parser = TimeParser(text.trimmingCharacters(in: .whitespaces), strict: false)
        return parser.parse()
    }

    /// Parses only a complete timestamp, `yyyy-MM-ddTHH:mm:ss[.fraction](Z|±HH:mm|±HHmm)`:
    /// what AWS writes for credential expirations (STS, IMDS, ECS, a `credential_process`),
    /// where a date alone or a time without a zone is a broken answer, not a time.
    public static func parseTimestamp(_ text: String) -> Date? {
        var parser = TimeParser(text, strict: true)
        return parser.parse()
    }

    private static func text(_ parts: [Part]) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(20)
        for part in parts {
            switch part {
            case .literal(let byte): bytes.append(byte)
            case .number(let value, let width):
                // Least significant digit first, then reversed: at least `width` digits, never cut.
                let start = bytes.count
                var rest = value
                repeat {
                    bytes.append(UInt8(ascii: "0") + UInt8(rest % 10))
                    rest /= 10
                } while rest > 0 || bytes.count - start < width
                bytes[start...].reverse()
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A piece of a formatted time: a zero-padded number or one ASCII character.
private enum Part: ExpressibleByUnicodeScalarLiteral {
    case number(Int, width: Int)
    case literal(UInt8)

    init(unicodeScalarLiteral value: Unicode.Scalar) { self = .literal(UInt8(ascii: value)) }
}

/// A date's UTC calendar fields, truncated to the second.
private struct UTCFields {
    let year, month, day, hour, minute, second: Part

    init(_ date: Date) {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var fields = tm()
        gmtime_r(&seconds, &fields)
        year = .number(Int(fields.tm_year) + 1900, width: 4)
        month = .number(Int(fields.tm_mon) + 1, width: 2)
        day = .number(Int(fields.tm_mday), width: 2)
        hour = .number(Int(fields.tm_hour), width: 2)
        minute = .number(Int(fields.tm_min), width: 2)
        second = .number(Int(fields.tm_sec), width: 2)
    }
}
