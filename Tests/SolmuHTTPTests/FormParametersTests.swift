import Foundation
import Testing
@testable import SolmuHTTP

@Suite("Form and query decoding")
struct FormParametersTests {
    /// Foundation's decoding, which `FormParameters.decode` replaced for speed: the reference, with
    /// one difference. Foundation refuses bytes that are not UTF-8 when they were escaped in upper
    /// case (`%FF`) but repairs them to U+FFFD when escaped in lower case (`%ff`, `%a9`); Solmu
    /// refuses both. (No input here contains U+FFFD itself, so a U+FFFD in the answer is a repair.)
    static func reference(_ text: String) -> String? {
        let decoded = text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
        return decoded?.unicodeScalars.contains("\u{FFFD}") == true ? nil : decoded
    }

    @Test("bytes that are not UTF-8 are refused however they are escaped", arguments: ["%FF", "%ff", "%a9", "%A9", "a%c3", "%e2%82", "%C3%28"])
    func notUTF8(_ input: String) {
        #expect(FormParameters.decode(Substring(input)) == nil)
    }

    @Test("percent-decoding agrees with Foundation's on tricky input", arguments: [
        "", "plain", "a+b", "a%20b", "%2B", "+%2B+", "%e2%82%ac", "%E2%82%AC", "caf%C3%A9", "%", "%2", "%2G", "%G2",
        "abc%", "abc%4", "%ZZ", "%00", "%C3", "%C3%28", "%FF", "%ED%A0%80", "üñí%C3%BCcode", "€+€", "a=b", "%3D%26",
        "webshop-dev-secret", "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange", "%%41", "%4%41", "++", "%2b%2B",
    ])
    func agreesWithFoundation(_ input: String) {
        #expect(FormParameters.decode(Substring(input)) == Self.reference(input))
    }

    @Test("random byte strings decode as Foundation decodes them")
    func randomInputs() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("%+aZ09fF=&€é ".unicodeScalars.map(String.init)) + ["%C3%A9", "%E2%82", "%8", "%FF"]
        for _ in 0..<2_000 {
            let input = (0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
            #expect(FormParameters.decode(Substring(input)) == Self.reference(input), "\(input)")
        }
    }

    @Test("a repeated parameter or broken encoding is invalid_request; empty values are absent")
    func parameters() throws {
        let form = try FormParameters("grant_type=client_credentials&scope=a+b%20c&empty=")
        #expect(form["grant_type"] == "client_credentials")
        #expect(form["scope"] == "a b c")
        #expect(form["empty"] == nil)
        #expect(throws: OAuthError.self) { try FormParameters("scope=a&scope=b") }
        #expect(throws: OAuthError.self) { try FormParameters("scope=%ZZ") }
    }
}
