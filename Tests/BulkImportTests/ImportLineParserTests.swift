@testable import BulkImport
import Foundation
import IdentityGraph
import SeededRandom
import Testing

/// The import's own line parser against `JSONDecoder`: whatever it reads, it reads as
/// `JSONDecoder` does; what it does not read (`nil`) goes to `JSONDecoder`.
struct ImportLineParserTests {
    static func decoded(_ line: String) -> ImportLine? {
        try? JSONDecoder().decode(ImportLine.self, from: Data(line.utf8))
    }

    @Test(arguments: [
        #"{"identifiers":[{"kind":"email","value":"anna@example.com"}]}"#,
        #"{"identifiers": [{"kind": "email", "value": "anna@example.com", "assurance": "verified"}, {"kind": "loyalty_card", "namespace": "plussa", "value": "6012 3456"}], "profile": {"given_name": "Anna", "family_name": "Virtanen", "birthdate": "1990-01-31", "postal_code": "00100", "country": "FI", "locale": "fi-FI"}}"#,
        " \t{ \"profile\" : null , \"identifiers\" : [ ] }\r\n",
        #"{"identifiers":[{"value":"x","kind":"social","namespace":null,"assurance":null}],"profile":{"given_name":null}}"#,
        #"{"identifiers":[{"kind":"email","value":"a\"b\\c\/d\b\f\n\r\t"}],"profile":{"family_name":"\u00c5s\u0061 \u20ac \u0000"}}"#,
        #"{"identifiers":[{"kind":"email","value":"åsa@exämple.fi"}],"profile":{"given_name":"Åsa 😀"}}"#,
        #"{"identifiers":[],"profile":{}}"#,
        #"{"identifiers":[{"kind":"social","namespace":"x","value":"\ud83d\ude00"}]}"#,             // an escaped surrogate pair
    ])
    func readsTheUsualShapeExactlyAsJSONDecoder(line: String) throws {
        let parsed = try #require(ImportLineParser.parse(line))
        #expect(parsed == Self.decoded(line))
    }

    @Test(arguments: [
        #"{"identifiers":[{"kind":"email","value":"a@example.com"}],"extra":1}"#,                  // unknown member (JSONDecoder ignores it)
        #"{"identifiers":[{"kind":"email","value":"a@example.com","note":"x"}]}"#,                // unknown item member
        #"{"identifiers":[{"kind":"email","value":"a@example.com"}],"identifiers":[]}"#,          // a member twice
        #"{"identifiers":[{"kind":"email","value":"a@example.com","kind":"phone"}]}"#,
        #"{"identifiers":[{"kind":"email"}]}"#,                                                   // missing value
        #"{"profile":{}}"#,                                                                        // missing identifiers
        #"{"identifiers":null}"#,
        #"{"identifiers":[{"kind":"email","value":1}]}"#,                                         // a number
        #"{"identifiers":[{"kind":"email","value":"a@example.com","assurance":"sure"}]}"#,        // unknown assurance
        #"{"identifiers":[{"kind":"email","value":"a@example.com"}],"profile":{"nickname":"x"}}"#, // unknown profile field
        #"{"identifiers":[{"kind":"email","value":"\ud83d"}]}"#,                                  // a lone escaped surrogate
        #"{"identifiers":[{"kind":"email","value":"\x"}]}"#,                                      // unknown escape
        "{\"identifiers\":[{\"kind\":\"email\",\"value\":\"a\tb\"}]}",                            // a raw control character
        #"{"identifiers":[{"kind":"email","value":"a@example.com"}]} x"#,                         // trailing text
        #"{"identifiers":[{"kind":"email","value":"a@example.com"},]}"#,                          // trailing comma
        #"{"identifiers":[{"kind":"email","value":"a@example.com"}]"#,                            // cut short
        "",
        "[]",
    ])
    func leavesEverythingElseToJSONDecoder(line: String) {
        #expect(ImportLineParser.parse(line) == nil)
    }

    /// Lines reach the parser as Swift strings, so bytes that were not UTF-8 arrive as U+FFFD;
    /// both read that alike.
    @Test func repairedUTF8ReadsAlike() {
        var bytes = Array(#"{"identifiers":[{"kind":"email","value":"a"#.utf8)
        bytes += [0xC3, 0x28]
        bytes += Array(#""}]}"#.utf8)
        #expect(ImportLineParser.parse(String(decoding: bytes, as: UTF8.self)) == Self.decoded(String(decoding: bytes, as: UTF8.self)))
    }

    /// Generated lines: members in any order, any JSON whitespace, escapes and non-ASCII text,
    /// nulls. Each one the parser reads must equal JSONDecoder's reading.
    @Test func generatedLinesReadAsJSONDecoderReadsThem() throws {
        var generator = SeededGenerator(seed: 7)
        let pieces = ["a", "Ö", "é", "😀", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\u00e9", "\\u20AC", " ", "@", "+358", "-"]
        let spaces = ["", " ", "\t", "\n", "\r\n", "  "]
        func space() -> String { spaces.randomElement(using: &generator)! }
        func text() -> String { "\"" + (0..<Int.random(in: 0...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined() + "\"" }
        func optional() -> String { Bool.random(using: &generator) && Int.random(in: 0..<4, using: &generator) == 0 ? "null" : text() }
        func object(_ members: [(String, String)]) -> String {
            "{" + space() + members.shuffled(using: &generator).map { "\"\($0.0)\"" + space() + ":" + space() + $0.1 }.joined(separator: space() + "," + space()) + space() + "}"
        }
        var read = 0
        for _ in 0..<2_000 {
            let items = (0..<Int.random(in: 0...3, using: &generator)).map { _ -> String in
                var members = [("kind", text()), ("value", text())]
                if Bool.random(using: &generator) { members.append(("namespace", optional())) }
                if Bool.random(using: &generator) {
                    members.append(("assurance", ["\"verified\"", "\"asserted\"", "\"inferred\"", "null"].randomElement(using: &generator)!))
                }
                return object(members)
            }
            var members = [("identifiers", "[" + space() + items.joined(separator: "," + space()) + space() + "]")]
            if Bool.random(using: &generator) {
                let fields = ["given_name", "family_name", "birthdate", "postal_code", "country", "locale"].filter { _ in Bool.random(using: &generator) }
                members.append(("profile", Int.random(in: 0..<5, using: &generator) == 0 ? "null" : object(fields.map { ($0, optional()) })))
            }
            let line = space() + object(members) + space()
            let expected = Self.decoded(line)
            #expect(expected != nil, "JSONDecoder refused a generated line: \(line)")
            if let parsed = ImportLineParser.parse(line) {
                read += 1
                #expect(parsed == expected, "\(line)")
            }
        }
        // The generated lines are all in the shape the parser reads.
        #expect(read == 2_000)
    }
}
