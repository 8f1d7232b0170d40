import Foundation

/// The model as JSON: sorted keys, so two reports diff line by line, and
/// UTC ISO 8601 times, so the file decodes back with `.iso8601`.
enum JSONReportRenderer {
    static func render(_ report: ComplianceReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }
}
