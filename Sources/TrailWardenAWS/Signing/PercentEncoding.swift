/// Percent-encoding as AWS defines it: every byte of the UTF-8 form is
/// encoded except the RFC 3986 unreserved characters `A-Z a-z 0-9 - _ . ~`.
///
/// SigV4 is only valid when the client encodes exactly as the service will
/// when it rebuilds the canonical request, so URL paths, query strings, form
/// bodies and the canonical request itself all go through this one encoder
/// rather than Foundation's, whose allowed sets differ.
public enum PercentEncoding {
    /// Encodes `text`; with `keepingSlashes`, `/` stays literal (object keys in URL paths).
    public static func encode(_ text: String, keepingSlashes: Bool = false) -> String {
        encode(bytes: text.utf8, keepingSlashes: keepingSlashes)
    }

    /// Decodes `%XX` escapes; anything else, including `+` and malformed
    /// escapes, is kept as it is.
    public static func decode(_ text: String) -> String {
        String(decoding: decodedBytes(text), as: UTF8.self)
    }

    /// `name=value` pairs joined by `&`, in the order given: a URL query
    /// string or an `application/x-www-form-urlencoded` body.
    public static func query(_ pairs: [(name: String, value: String)]) -> String {
        pairs.map { "\(encode($0.name))=\(encode($0.value))" }.joined(separator: "&")
    }

    static func encode<Bytes: Sequence<UInt8>>(bytes: Bytes, keepingSlashes: Bool = false) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.underestimatedCount)
        for byte in bytes {
            if isUnreserved(byte) || (keepingSlashes && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0f)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes `text` stands for, so escapes of bytes that are not UTF-8
    /// survive a decode and re-encode.
    static func decodedBytes(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return out
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
