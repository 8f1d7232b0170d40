import Foundation

/// The model as JSON: sorted keys, so two reports diff line by line, and UTC ISO 8601 times,
/// so the file decodes back with `.iso8601`.
///
/// Written a chain at a time, byte for byte what `JSONEncoder` writes for the whole model: each
/// chain is encoded alone and indented to its depth; each account and the frame are encoded
/// with no chains and no accounts, and opened where those empty arrays are.
final class JSONReportRenderer: ReportRenderer {
    private let spool: any ReportSpool
    private var accounts = 0
    private var chains = 0
    /// The account encoded without its chains, cut where its empty `chains` array is.
    private var accountText = ""

    init(spool: any ReportSpool) {
        self.spool = spool
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    private static func text(_ value: some Encodable) throws -> String {
        String(decoding: try encoder().encode(value), as: UTF8.self)
    }

    /// `text` with every non-empty line indented by `depth` spaces (pretty-printed JSON leaves
    /// the blank line of an empty array unindented, and no string holds a raw newline).
    private static func indented(_ text: String, by depth: Int) -> String {
        let newline = UInt8(ascii: "\n"), indent = [UInt8](repeating: UInt8(ascii: " "), count: depth)
        var bytes = [UInt8]()
        bytes.reserveCapacity(text.utf8.count + text.utf8.count / 4)
        var atLineStart = true
        for byte in text.utf8 {
            if atLineStart, byte != newline { bytes += indent }
            bytes.append(byte)
            atLineStart = byte == newline
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `text` cut around `"key" : [` + its empty array's end, at the depth of `text`'s own keys.
    private static func opened(_ text: String, key: String) -> (head: String, tail: String)? {
        let empty = "\n  \"\(key)\" : [\n\n  ]"
        guard let range = text.range(of: empty) else { return nil }
        return (String(text[..<range.lowerBound]) + "\n  \"\(key)\" : [\n", "\n  ]" + String(text[range.upperBound...]))
    }

    func begin(_ account: ComplianceReport.Account) throws {
        try spool.append(accounts == 0 ? "" : ",\n", to: 0)
        accounts += 1
        chains = 0
        accountText = try Self.text(account)
    }

    func add(_ chain: ComplianceReport.Chain, of account: ComplianceReport.Account) throws {
        if chains == 0, let head = Self.opened(accountText, key: "chains")?.head {
            try spool.append(Self.indented(head, by: 4), to: 0)
        }
        try spool.append((chains == 0 ? "" : ",\n") + Self.indented(try Self.text(chain), by: 8), to: 0)
        chains += 1
    }

    func end(_ account: ComplianceReport.Account) throws {
        guard chains > 0, let tail = Self.opened(accountText, key: "chains")?.tail else {
            return try spool.append(Self.indented(accountText, by: 4), to: 0)
        }
        try spool.append(Self.indented(tail, by: 4), to: 0)
    }

    func finish(_ frame: ComplianceReport) throws -> ReportLayout {
        let text = try Self.text(frame)
        guard accounts > 0, let (head, tail) = Self.opened(text, key: "accounts") else { return ReportLayout(format: .json, main: [.text(text + "\n")]) }
        return ReportLayout(format: .json, main: [.text(head), .part(0), .text(tail + "\n")])
    }
}
