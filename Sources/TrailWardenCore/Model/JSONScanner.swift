/// The byte-level half of `DigestJSONReader`: a cursor over JSON text that
/// checks and skips values, and reads strings, without building values it is
/// not asked for.
struct JSONScanner {
    /// The text is not JSON.
    struct NotJSON: Error {}

    /// Deeper nesting than any digest has is not accepted (the reference's
    /// Python parser gives up near 1,000 levels).
    static let maximumDepth = 512

    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var isAtEnd: Bool { index == bytes.count }

    /// Skips one value of any kind, keeping a stack of open containers instead of recursing.
    mutating func skipValue() throws(NotJSON) {
        var openObjects = [Bool]()
        while true {
            skipWhitespace()
            guard let byte = peek() else { throw NotJSON() }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                index += 1
                skipWhitespace()
                let isObject = byte == UInt8(ascii: "{")
                if peek() == UInt8(ascii: isObject ? "}" : "]") { index += 1; break }
                guard openObjects.count < Self.maximumDepth else { throw NotJSON() }
                openObjects.append(isObject)
                if isObject { _ = try string(keep: false); try colon() }
                continue
            case UInt8(ascii: "\""): _ = try string(keep: false)
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default: try number()
            }
            // A value ended: close containers, or move to the next element.
            while let isObject = openObjects.last {
                skipWhitespace()
                guard let separator = next() else { throw NotJSON() }
                if separator == UInt8(ascii: isObject ? "}" : "]") {
                    openObjects.removeLast()
                    continue
                }
                guard separator == UInt8(ascii: ",") else { throw NotJSON() }
                if isObject { skipWhitespace(); _ = try string(keep: false); try colon() }
                break
            }
            if openObjects.isEmpty { return }
        }
    }

    mutating func colon() throws(NotJSON) {
        skipWhitespace()
        guard next() == UInt8(ascii: ":") else { throw NotJSON() }
    }

    mutating func literal(_ word: StaticString) throws(NotJSON) {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw NotJSON() }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { throw NotJSON() }
        index += count
    }

    mutating func number() throws(NotJSON) {
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), isDigit(first) else { throw NotJSON() }
        if first == UInt8(ascii: "0") { index += 1 } else { try digits() }
        if peek() == UInt8(ascii: ".") { index += 1; try digits() }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            try digits()
        }
    }

    mutating func digits() throws(NotJSON) {
        let start = index
        while let byte = peek(), isDigit(byte) { index += 1 }
        guard index > start else { throw NotJSON() }
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Reads the string at the cursor; returns it only when `keep` is set.
    /// Rejects control characters, bad escapes, lone surrogates and invalid UTF-8.
    mutating func string(keep: Bool) throws(NotJSON) -> String? {
        guard next() == UInt8(ascii: "\"") else { throw NotJSON() }
        let start = index
        var plain = true
        var ascii = true
        while true {
            guard let byte = next() else { throw NotJSON() }
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 { throw NotJSON() }
            if byte >= 0x80 { ascii = false }
            if byte == UInt8(ascii: "\\") {
                plain = false
                guard next() != nil else { throw NotJSON() }
            }
        }
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)])
        if plain {
            if ascii { return keep ? String(decoding: raw, as: UTF8.self) : nil }
            guard let text = String(validating: raw, as: UTF8.self) else { throw NotJSON() }
            return keep ? text : nil
        }
        return try Self.unescape(raw)
    }

    private static func unescape(_ raw: UnsafeBufferPointer<UInt8>) throws(NotJSON) -> String {
        var scalars = String.UnicodeScalarView()
        var position = 0
        var pendingUTF8 = [UInt8]()
        func flush() throws(NotJSON) {
            guard !pendingUTF8.isEmpty else { return }
            guard let text = String(validating: pendingUTF8, as: UTF8.self) else { throw NotJSON() }
            scalars.append(contentsOf: text.unicodeScalars)
            pendingUTF8.removeAll(keepingCapacity: true)
        }
        func hex4() throws(NotJSON) -> UInt32 {
            guard raw.count - position >= 4 else { throw NotJSON() }
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let digit = Character(UnicodeScalar(raw[position])).hexDigitValue else { throw NotJSON() }
                value = value << 4 | UInt32(digit)
                position += 1
            }
            return value
        }
        while position < raw.count {
            let byte = raw[position]
            position += 1
            guard byte == UInt8(ascii: "\\") else { pendingUTF8.append(byte); continue }
            try flush()
            let escape = raw[position]
            position += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(UnicodeScalar(escape))
            case UInt8(ascii: "b"): scalars.append("\u{8}")
            case UInt8(ascii: "f"): scalars.append("\u{c}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var value = try hex4()
                if (0xD800..<0xDC00).contains(value) {
                    guard raw.count - position >= 6, raw[position] == UInt8(ascii: "\\"), raw[position + 1] == UInt8(ascii: "u") else { throw NotJSON() }
                    position += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw NotJSON() }
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = UnicodeScalar(value) else { throw NotJSON() }
                scalars.append(scalar)
            default:
                throw NotJSON()
            }
        }
        try flush()
        return String(scalars)
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func next() -> UInt8? {
        guard index < bytes.count else { return nil }
        defer { index += 1 }
        return bytes[index]
    }
}
