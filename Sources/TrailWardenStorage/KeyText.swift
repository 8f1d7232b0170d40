/// Object keys and paths as they appear inside one line of text output.
///
/// Why: a key is attacker-chosen text. A newline in it would split one finding into two
/// lines (or forge a "valid" line), and a terminal escape or a bidirectional override could
/// hide what it names. So characters that break or disguise a line are written as escapes:
/// `\n`, `\t`, `\r`, `\xHH` for other ASCII controls and for bytes of a local file name that
/// are not UTF-8 (see `LocalFileName`), and `\u{HHHH}` for other control, format and line or
/// paragraph separator characters. A backslash is doubled only where it is followed by
/// something that would otherwise read as an escape (`n`, `t`, `r`, `x`, `u`, a backslash or
/// an escape), so every key without such characters, every CloudTrail key among them, is
/// printed exactly as the AWS CLI prints it.
public enum KeyText {
    public static func escaped<Text: StringProtocol>(_ text: Text) -> String {
        let pieces = pieces(of: LocalFileName.rawBytes(of: text))
        var line = ""
        for (index, piece) in pieces.enumerated() {
            switch piece {
            case .escape(let escape):
                line += escape
            case .literal(let scalar) where scalar == "\\":
                line += index + 1 < pieces.count && pieces[index + 1].readsAsEscapeAfterBackslash ? "\\\\" : "\\"
            case .literal(let scalar):
                line.unicodeScalars.append(scalar)
            }
        }
        return line
    }

    private enum Piece {
        case literal(Unicode.Scalar)
        case escape(String)

        var readsAsEscapeAfterBackslash: Bool {
            switch self {
            case .escape: return true
            case .literal(let scalar): return "ntrxu\\".unicodeScalars.contains(scalar)
            }
        }
    }

    private static func pieces(of bytes: [UInt8]) -> [Piece] {
        var pieces = [Piece]()
        LocalFileName.decodeUTF8(bytes, scalar: { pieces.append(piece(for: $0)) },
                                 invalidByte: { pieces.append(.escape("\\x" + LocalFileName.hexPair($0))) })
        return pieces
    }

    private static func piece(for scalar: Unicode.Scalar) -> Piece {
        switch scalar {
        case "\n": return .escape("\\n")
        case "\t": return .escape("\\t")
        case "\r": return .escape("\\r")
        default: break
        }
        if scalar.isASCII {
            return scalar.value < 0x20 || scalar.value == 0x7f ? .escape("\\x" + LocalFileName.hexPair(UInt8(scalar.value))) : .literal(scalar)
        }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator:
            let hex = String(scalar.value, radix: 16)
            return .escape("\\u{" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "}")
        default:
            return .literal(scalar)
        }
    }
}

extension ObjectLocation {
    /// `s3://bucket/key` for one line of text output, escaped by `KeyText`.
    public var lineText: String { KeyText.escaped(description) }
}
