import Foundation
import Testing
import TrailWardenVocabulary

@Suite struct JSONStringTests {
    @Test func quotesAsJSONParsersReadBack() throws {
        let text = "a \"b\" \\ c\n\r\t\u{1} é 🙂"
        let quoted = JSONString.quote(text)
        #expect(quoted == "\"a \\\"b\\\" \\\\ c\\n\\r\\t\\u0001 é 🙂\"")
        let parsed = try JSONSerialization.jsonObject(with: Data(quoted.utf8), options: [.fragmentsAllowed]) as? String
        #expect(parsed == text)
    }
}
