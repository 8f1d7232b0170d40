import Foundation

/// The JSON kept in `chain_results.tally` and `runs.totals` and `runs.errors`: sorted keys and
/// epoch-millisecond dates, so the text is stable and readable by other tools (sqlite3
/// json_extract, jq).
enum StoredJSON {
    static func encode(_ value: some Encodable, path: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw StateError(.invalid, path: path, detail: "cannot encode \(type(of: value)): \(error)")
        }
    }

    static func decode<Value: Decodable>(_ type: Value.Type, _ text: String, path: String) throws -> Value {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch {
            throw StateError(.invalid, path: path, detail: "stored \(type) is not valid JSON: \(error)")
        }
    }
}
