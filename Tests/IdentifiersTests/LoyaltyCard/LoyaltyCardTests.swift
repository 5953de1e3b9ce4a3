import Testing
@testable import Identifiers

@Suite struct LoyaltyCardTests {
    let normalizer = IdentifierNormalizer(policy: .default)

    func card(_ program: String?, _ value: String, _ n: IdentifierNormalizer? = nil) throws(IdentifierError) -> String {
        try (n ?? normalizer).normalize(kind: .loyaltyCard, namespace: program, value: value).value
    }

    func code(_ program: String?, _ value: String, _ n: IdentifierNormalizer? = nil) -> IdentifierError.Code? {
        do { _ = try card(program, value, n); return nil } catch { return error.code }
    }

    @Test func normalizesPlussa() throws {
        for input in [
            "6012345678901234", "6012 3456 7890 1234", "6012-3456-7890-1234", " 6012\u{2010}3456\u{2013}7890\u{2014}1234 ",
            "６０１２３４５６７８９０１２３４", "6012\u{00A0}3456\u{3000}7890\t1234", "٦٠١٢٣٤٥٦٧٨٩٠١٢٣٤",
        ] {
            #expect(try card("plussa", input) == "6012345678901234")
        }
        #expect(try card(" PLUSSA ", "6012345678901234") == "6012345678901234")
        let id = try normalizer.normalize(kind: .loyaltyCard, namespace: "Plussa", value: "6012 3456 7890 1234")
        #expect(id.namespace == "plussa")
        #expect(id.compact == "loyalty_card:plussa:6012345678901234")
    }

    @Test func rejectsBadPlussaNumbers() {
        #expect(code("plussa", "6012345678901235") == .checksumFailed)
        #expect(code("plussa", "6012345678901243") == .checksumFailed)
        #expect(code("plussa", "601234567890123") == .tooShort)
        #expect(code("plussa", "60123456789012345") == .tooLong)
        #expect(code("plussa", "6012 3456 7890 123A") == .invalidCharacter)
        #expect(code("plussa", "6012.3456.7890.1234") == .invalidCharacter)
        #expect(code("plussa", "- - -") == .empty)
        #expect(code("plussa", "") == .empty)
        #expect(code("nope", "6012345678901234") == .unknownNamespace)
        #expect(code(nil, "6012345678901234") == .missingNamespace)
    }

    @Test func bonusHasNoCheckDigit() throws {
        #expect(try card("bonus", "1234 5678") == "12345678")
        #expect(try card("bonus", "123456789012") == "123456789012")
        #expect(code("bonus", "1234567") == .tooShort)
        #expect(code("bonus", "1234567890123") == .tooLong)
    }

    @Test func alphanumericProgramsAndPrefixes() throws {
        var policy = IdentifierPolicy.default
        policy.loyaltyPrograms["club"] = LoyaltyProgramPolicy(minLength: 6, maxLength: 10, alphabet: .alphanumeric, luhn: false, prefixes: ["CL", "VIP"])
        policy.loyaltyPrograms["luhnish"] = LoyaltyProgramPolicy(minLength: 4, maxLength: 19, alphabet: .digits, luhn: true, prefixes: ["4"])
        let n = IdentifierNormalizer(policy: policy)
        #expect(try card("club", "cl-12ab", n) == "CL12AB")
        #expect(try card("club", "ｖｉｐ 0001", n) == "VIP0001")
        #expect(code("club", "XX1234", n) == .invalidSyntax)
        #expect(code("club", "CLÄ1234", n) == .invalidCharacter)
        #expect(try card("luhnish", "4111 1111 1111 1111", n) == "4111111111111111")
        #expect(code("luhnish", "5555 5555 5555 4444", n) == .invalidSyntax)
        #expect(code("luhnish", "4111 1111 1111 1112", n) == .checksumFailed)
    }

    @Test func luhn() {
        #expect(Luhn.isValid(Array("79927398713".utf8)))
        #expect(!Luhn.isValid(Array("79927398710".utf8)))
        #expect(Luhn.checkDigit(for: Array("7992739871".utf8)) == UInt8(ascii: "3"))
        #expect(Luhn.checkDigit(for: Array("601234567890123".utf8)) == UInt8(ascii: "4"))
        #expect(!Luhn.isValid(Array("0".utf8)))
    }

    @Test func reasons() {
        do {
            _ = try card("plussa", "6012345678901235")
        } catch {
            #expect(error.reason == "the Luhn check digit does not match")
            #expect(error.description == "checksum_failed: the Luhn check digit does not match")
            #expect(error.kind == .loyaltyCard)
        }
    }
}
