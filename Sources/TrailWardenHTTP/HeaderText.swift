import Foundation

extension String {
    /// Without leading and trailing white space, exactly as Foundation's
    /// `trimmingCharacters(in: .whitespaces)`, which header handling used: on
    /// ASCII text (headers nearly always are), whose only such characters are
    /// space and tab, without Foundation's cost on every header of every
    /// response; any other text still goes through Foundation.
    public func trimmingSpacesAndTabs() -> String {
        let bytes = utf8
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return trimmingCharacters(in: .whitespaces) }
        guard let kept = spacesAndTabsTrimmed(bytes) else { return "" }
        if kept.lowerBound == bytes.startIndex, bytes.index(after: kept.upperBound) == bytes.endIndex { return self }
        return String(self[kept])
    }

    /// Whether the two are equal ignoring case, as comparing their `lowercased()` forms, without
    /// making those strings when both are ASCII.
    public func equalsIgnoringCase(_ other: String) -> Bool {
        var mine = self, theirs = other
        let asASCII: Bool? = mine.withUTF8 { left in
            theirs.withUTF8 { right in
                guard left.allSatisfy({ $0 < 0x80 }), right.allSatisfy({ $0 < 0x80 }) else { return nil }
                return left.count == right.count && zip(left, right).allSatisfy { Self.asciiLower($0) == Self.asciiLower($1) }
            }
        }
        return asASCII ?? (lowercased() == other.lowercased())
    }

    private static func asciiLower(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}

/// The part of ASCII `bytes` between leading and trailing spaces and tabs; nil when there is nothing else.
func spacesAndTabsTrimmed<Bytes: BidirectionalCollection<UInt8>>(_ bytes: Bytes) -> ClosedRange<Bytes.Index>? {
    let isKept = { (byte: UInt8) in byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") }
    guard let first = bytes.firstIndex(where: isKept), let last = bytes.lastIndex(where: isKept) else { return nil }
    return first...last
}

/// The text of an obsolete folded line (one starting with white space), which continues the
/// previous field; nil for any other line. Rare, so handled on the decoded text.
func foldedHeaderText(_ line: Slice<UnsafeRawBufferPointer>) -> String? {
    guard line.first == UInt8(ascii: " ") || line.first == UInt8(ascii: "\t") else { return nil }
    let text = String(decoding: line, as: UTF8.self)
    return text.first == " " || text.first == "\t" ? text : nil
}

/// The bytes as text without leading and trailing white space, as
/// `String.trimmingSpacesAndTabs()` would give, trimmed on the bytes when they are ASCII.
func trimmedHeaderText(_ bytes: Slice<UnsafeRawBufferPointer>) -> String {
    guard bytes.allSatisfy({ $0 < 0x80 }) else { return String(decoding: bytes, as: UTF8.self).trimmingSpacesAndTabs() }
    guard let kept = spacesAndTabsTrimmed(bytes) else { return "" }
    return String(decoding: bytes[kept], as: UTF8.self)
}
