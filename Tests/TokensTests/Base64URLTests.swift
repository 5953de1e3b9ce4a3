import Testing
@testable import Tokens

@Suite("base64url")
struct Base64URLTests {
    @Test("encodes without padding and decodes back", arguments: 0..<40)
    func roundTrip(length: Int) {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 251) }
        let encoded = Base64URL.encode(bytes)
        #expect(!encoded.contains("="))
        #expect(!encoded.contains("+") && !encoded.contains("/"))
        #expect(Base64URL.decode(encoded) == bytes)
    }

    @Test("known vectors (RFC 4648 §10, URL alphabet)")
    func vectors() {
        #expect(Base64URL.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64URL.encode(Array("fo".utf8)) == "Zm8")
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.decode("-_8") == [0xFB, 0xFF])
    }

    @Test("rejects padding, the standard alphabet, stray characters and non-canonical tails",
          arguments: ["Zm8=", "+/8", "Zm 8", "Z", "Zm9", "Zm9=", "Zm9\n"])
    func rejects(input: String) {
        // "Zm9" has non-zero unused bits ("fo" is "Zm8").
        #expect(Base64URL.decode(input) == nil)
    }
}
