/// Reads a word a CHECK constraint limits (a finding's or an alarm outcome's
/// status) as its enum; a word outside it means the file was not written by
/// TrailWarden, which is reported rather than guessed at.
func stored<Word: RawRepresentable>(_ type: Word.Type, _ text: String, in database: SQLiteDatabase) throws -> Word
where Word.RawValue == String {
    guard let word = Word(rawValue: text) else {
        throw StateError(.invalid, path: database.path, detail: "unknown \(Word.self) \"\(text)\"")
    }
    return word
}
