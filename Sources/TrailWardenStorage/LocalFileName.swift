/// How a local file's name, which is any bytes but NUL and `/`, becomes part of an object key,
/// which is text.
///
/// Why this form: a name that is valid UTF-8 is its own key, as `aws s3 sync` stores it. A
/// name that is not must still be listed (an injected file cannot hide behind a bad name), and
/// its key must not collide with any real name's. No real name contains NUL, so each byte that
/// is not part of a valid UTF-8 sequence is written as U+0000 followed by the byte's two
/// lower-case hex digits: the name `log<FF>.gz` is the key `"log\u{0}ff.gz"`, printed
/// `log\xff.gz` in text lines (see `KeyText`).
enum LocalFileName {
    /// The key text of a file name.
    static func keyText(of name: [UInt8]) -> String {
        // Nearly every name is ASCII, which is its own key: no need to walk it scalar by scalar.
        if name.allSatisfy({ $0 < 0x80 }) { return String(decoding: name, as: UTF8.self) }
        var text = ""
        decodeUTF8(name, scalar: { text.unicodeScalars.append($0) }, invalidByte: { text += "\u{0}" + hexPair($0) })
        return text
    }

    /// Walks `bytes` as UTF-8, handing on each valid scalar, and each byte of an invalid sequence.
    static func decodeUTF8(_ bytes: [UInt8], scalar: (Unicode.Scalar) -> Void, invalidByte: (UInt8) -> Void) {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                scalar(Unicode.UTF8.decode(encoded))
                offset += encoded.count
            case .error(let length):
                bytes[offset..<offset + length].forEach(invalidByte)
                offset += length
            case .emptyInput:
                return
            }
        }
    }

    /// The bytes of the file name that `keyText(of:)` turns into `segment`, or nil when no
    /// name does (a NUL that is not a byte escape, or a byte escape where valid UTF-8 could be
    /// written as itself, which would make two keys for one file).
    static func name(ofKeySegment segment: Substring) -> [UInt8]? {
        let bytes = rawBytes(of: segment)
        guard !bytes.contains(0), keyText(of: bytes) == segment else { return nil }
        return bytes
    }

    /// Text's UTF-8 with every byte escape (U+0000 and two hex digits) turned back into its byte;
    /// a NUL that starts no escape stays a NUL.
    static func rawBytes<Text: StringProtocol>(of text: Text) -> [UInt8] {
        let afterEachNUL = Array(text.utf8).split(separator: 0, omittingEmptySubsequences: false)
        var bytes = Array(afterEachNUL[0])
        for piece in afterEachNUL.dropFirst() {
            let digits = Array(piece.prefix(2))
            if digits.count == 2, let high = hexValue(digits[0]), let low = hexValue(digits[1]) {
                bytes.append(high << 4 | low)
                bytes += piece.dropFirst(2)
            } else {
                bytes.append(0)
                bytes += piece
            }
        }
        return bytes
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func hexPair(_ byte: UInt8) -> String {
        String(decoding: [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xf)]], as: UTF8.self)
    }

    private static func hexValue(_ character: UInt8) -> UInt8? {
        hexDigits.firstIndex(of: character).map { UInt8($0) }
    }
}
