/// Lower-case hexadecimal encoding and strict decoding, as CloudTrail writes
/// hashes and signatures.
public enum Hex {
    /// Lower-case hex of `bytes`.
    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        bytes.withContiguousStorageIfAvailable(encode(buffer:)) ?? Array(bytes).withUnsafeBufferPointer(encode(buffer:))
    }

    /// Written straight into the string's storage: every hash of every object goes through here.
    private static func encode(buffer: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: buffer.count * 2) { out in
            for (index, byte) in buffer.enumerated() {
                out[2 * index] = digit(byte >> 4)
                out[2 * index + 1] = digit(byte & 0x0f)
            }
            return buffer.count * 2
        }
    }

    /// Appends the lower-case hex of `bytes` to `out`: for text built as bytes, such as SigV4's string to sign.
    public static func append(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        out.reserveCapacity(out.count + 2 * bytes.count)
        for byte in bytes {
            out.append(digit(byte >> 4))
            out.append(digit(byte & 0x0f))
        }
    }

    private static func digit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }

    /// Why a hex string could not be decoded; the descriptions match Python's
    /// `binascii.unhexlify`, whose messages the reference validator prints.
    public enum DecodingError: Error, Equatable, CustomStringConvertible {
        case oddLength
        case nonHexDigit

        public var description: String {
            switch self {
            case .oddLength: return "Odd-length string"
            case .nonHexDigit: return "Non-hexadecimal digit found"
            }
        }
    }

    /// Decodes upper- or lower-case hex.
    public static func decode(_ text: String) throws(DecodingError) -> [UInt8] {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { throw .oddLength }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else { throw .nonHexDigit }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    private static func value(_ char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return char - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return char - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return char - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
