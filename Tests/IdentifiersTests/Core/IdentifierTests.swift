import Foundation
import Testing
@testable import Identifiers

@Suite struct IdentifierTests {
    let normalizer = IdentifierNormalizer(policy: .default)

    @Test func kinds() {
        #expect(IdentifierKind.allCases.map(\.rawValue) == ["email", "phone", "social", "loyalty_card", "receipt"])
        #expect(IdentifierKind.allCases.filter(\.requiresNamespace) == [.social, .loyaltyCard, .receipt])
    }

    @Test func compactForm() throws {
        let email = try normalizer.normalize(kind: .email, namespace: nil, value: "Anna@Example.com")
        #expect(email.compact == "email:anna@example.com")
        #expect(email.description == email.compact)
        let card = try normalizer.normalize(kind: .loyaltyCard, namespace: "plussa", value: "6012 3456 7890 1234")
        #expect(card.compact == "loyalty_card:plussa:6012345678901234")
        let social = try normalizer.normalize(kind: .social, namespace: "google", value: "id:123")
        #expect(social.compact == "social:google:id:123")
    }

    @Test func parsesCompactForms() throws {
        #expect(try RawIdentifier(compact: "email:anna@example.com") == RawIdentifier(kind: "email", value: "anna@example.com"))
        #expect(try RawIdentifier(compact: "phone:+358 40 123 4567") == RawIdentifier(kind: "phone", value: "+358 40 123 4567"))
        #expect(try RawIdentifier(compact: "social:google:id:123:456") == RawIdentifier(kind: "social", namespace: "google", value: "id:123:456"))
        #expect(try RawIdentifier(compact: "receipt:s1:12:345") == RawIdentifier(kind: "receipt", namespace: "s1", value: "12:345"))
        #expect(try RawIdentifier(compact: "LOYALTY_CARD:plussa:6012") == RawIdentifier(kind: "loyalty_card", namespace: "plussa", value: "6012"))
        #expect(throws: IdentifierError(code: .invalidSyntax, reason: "")) { try RawIdentifier(compact: "anna@example.com") }
        #expect(throws: IdentifierError(code: .unknownKind, reason: "")) { try RawIdentifier(compact: "fax:123") }
        #expect(throws: IdentifierError(code: .missingNamespace, kind: .social, reason: "")) { try RawIdentifier(compact: "social:anna") }
        #expect(throws: IdentifierError(code: .tooLong, reason: "")) { try RawIdentifier(compact: "email:" + String(repeating: "a", count: 1100)) }
    }

    @Test func compactRoundTrips() throws {
        let ids = [
            try normalizer.normalize(kind: .email, namespace: nil, value: "anna@bücher.example"),
            try normalizer.normalize(kind: .phone, namespace: nil, value: "040 123 4567"),
            try normalizer.normalize(kind: .social, namespace: "instagram", value: "@anna"),
            try normalizer.normalize(kind: .social, namespace: "apple", value: "id:001.ABC.9"),
            try normalizer.normalize(kind: .loyaltyCard, namespace: "plussa", value: "6012345678901234"),
            try normalizer.normalize(kind: .receipt, namespace: "s1", value: "01-0002"),
        ]
        for id in ids {
            #expect(try normalizer.normalize(RawIdentifier(compact: id.compact)) == id)
            #expect(try normalizer.normalize(id.raw) == id)
        }
    }

    @Test func rawIdentifiers() throws {
        #expect(try normalizer.normalize(RawIdentifier(kind: " Email ", value: "a@b.fi")).value == "a@b.fi")
        #expect(throws: IdentifierError(code: .unknownKind, reason: "")) {
            try normalizer.normalize(RawIdentifier(kind: "fax", value: "123"))
        }
        #expect(throws: IdentifierError(code: .unknownKind, reason: "")) {
            try normalizer.normalize(RawIdentifier(kind: "", value: "123"))
        }
        #expect(throws: IdentifierError(code: .tooLong, kind: .email, reason: "")) {
            try normalizer.normalize(RawIdentifier(kind: "email", value: String(repeating: "ä", count: 513)))
        }
        #expect(throws: IdentifierError(code: .tooLong, kind: .social, reason: "")) {
            try normalizer.normalize(kind: .social, namespace: String(repeating: "n", count: 65), value: "anna")
        }
        #expect(throws: IdentifierError(code: .invalidCharacter, kind: .social, reason: "")) {
            try normalizer.normalize(kind: .social, namespace: "insta/gram", value: "anna")
        }
    }

    @Test func codable() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let email = Identifier(trustedKind: .email, namespace: nil, value: "anna@example.com")
        #expect(String(decoding: try encoder.encode(email), as: UTF8.self) == #"{"kind":"email","value":"anna@example.com"}"#)
        let card = Identifier(trustedKind: .loyaltyCard, namespace: "plussa", value: "6012345678901234")
        #expect(String(decoding: try encoder.encode(card), as: UTF8.self) == #"{"kind":"loyalty_card","namespace":"plussa","value":"6012345678901234"}"#)
        #expect(try JSONDecoder().decode(Identifier.self, from: encoder.encode(card)) == card)
        #expect(try JSONDecoder().decode(Identifier.self, from: Data(#"{"kind":"phone","value":"+358401234567"}"#.utf8)).namespace == nil)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Identifier.self, from: Data(#"{"kind":"fax","value":"1"}"#.utf8))
        }
        let raw = RawIdentifier(kind: "social", namespace: "x", value: "@jack")
        #expect(try JSONDecoder().decode(RawIdentifier.self, from: encoder.encode(raw)) == raw)
    }

    @Test func errorsCompareByCodeAndKind() {
        let a = IdentifierError(code: .tooLong, kind: .email, reason: "one")
        let b = IdentifierError(code: .tooLong, kind: .email, reason: "two")
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a != IdentifierError(code: .tooLong, kind: .phone, reason: "one"))
        #expect(a.description == "too_long: one")
        #expect(IdentifierError.Code.invalidCountryCode.rawValue == "invalid_country_code")
    }

    @Test func defaultPolicy() {
        let policy = IdentifierPolicy.default
        #expect(policy.phone.defaultRegion == "FI")
        #expect(Set(policy.social.keys) == ["instagram", "x", "facebook", "tiktok", "google", "apple"])
        #expect(policy.social["google"]?.handle == nil)
        #expect(policy.social["apple"]?.handle == nil)
        #expect(policy.loyaltyPrograms["plussa"] == LoyaltyProgramPolicy(minLength: 16, maxLength: 16, alphabet: .digits, luhn: true, prefixes: []))
        #expect(policy.loyaltyPrograms["bonus"]?.luhn == false)
        #expect(policy.receipts.defaultFormat == ReceiptFormat(terminalDigits: 1...4, numberDigits: 1...12, separators: "-/ :"))
    }

    @Test func emptyValuesAfterTrimming() {
        for kind in IdentifierKind.allCases {
            let namespace: String? = switch kind {
            case .email, .phone: nil
            case .social: "x"
            case .loyaltyCard: "plussa"
            case .receipt: "s1"
            }
            #expect(throws: IdentifierError(code: .empty, kind: kind, reason: "")) {
                try normalizer.normalize(kind: kind, namespace: namespace, value: " \t\u{3000}\n")
            }
        }
    }

    @Test func bulkThroughputSmoke() throws {
        // Not a benchmark: guards against accidental quadratic work on the hot paths.
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for i in 0..<20_000 {
                _ = try normalizer.normalize(kind: .email, namespace: nil, value: "Customer.\(i)@Example.com")
                _ = try normalizer.normalize(kind: .phone, namespace: nil, value: "040 \(1_000_000 + i)")
                _ = try normalizer.normalize(kind: .loyaltyCard, namespace: "bonus", value: "1234 \(10_000 + i)")
            }
        }
        #expect(elapsed < .seconds(10))
    }
}
