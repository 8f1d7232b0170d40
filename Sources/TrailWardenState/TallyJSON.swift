import Foundation
import TrailWardenCore

/// The JSON kept in `chain_results.tally`: sorted keys and epoch-millisecond dates, so the
/// text is stable and readable by other tools (sqlite3 json_extract, jq).
enum TallyJSON {
    static func encode(_ tally: ValidationTally, path: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        do {
            return String(decoding: try encoder.encode(tally), as: UTF8.self)
        } catch {
            throw StateError(.invalid, path: path, detail: "cannot encode tally: \(error)")
        }
    }

    static func decode(_ text: String, path: String) throws -> ValidationTally {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        do {
            return try decoder.decode(ValidationTally.self, from: Data(text.utf8))
        } catch {
            throw StateError(.invalid, path: path, detail: "stored tally is not valid JSON: \(error)")
        }
    }
}
