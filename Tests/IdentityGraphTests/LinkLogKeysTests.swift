import Crypto
import Foundation
import Identifiers
import IdentityGraph
import Testing

struct LinkLogKeysTests {
    let keys = LinkLogKeys(master: SymmetricKey(data: Data(repeating: 9, count: 32)))
    let anna = CustomerID.random()
    let ben = CustomerID.random()
    let value = Identifier(trustedKind: .email, namespace: nil, value: "anna@example.com")

    @Test func aWrappedKeyOpensOnlyForItsCustomerUnderItsLogKey() throws {
        let (key, wrapped) = try keys.newCustomerKey(for: anna)
        #expect(wrapped.count == 12 + 32 + 16)
        let reopened = try keys.customerKey(wrapped: wrapped, for: anna)
        #expect(reopened.hasher.hash(value) == key.hasher.hash(value))
        #expect(throws: IdentityGraphError.self) { try keys.customerKey(wrapped: wrapped, for: ben) }
        let otherLog = LinkLogKeys(master: SymmetricKey(data: Data(repeating: 8, count: 32)))
        #expect(throws: IdentityGraphError.self) { try otherLog.customerKey(wrapped: wrapped, for: anna) }
        var flipped = wrapped
        flipped[20] ^= 1
        #expect(throws: IdentityGraphError.self) { try keys.customerKey(wrapped: flipped, for: anna) }
    }

    @Test func customersHashTheSameValueDifferentlyAndNeverLikeTheLookup() throws {
        let first = try keys.newCustomerKey(for: anna).key
        let second = try keys.newCustomerKey(for: anna).key
        #expect(first.hasher.hash(value) != second.hasher.hash(value))
        #expect(first.hasher.hash(value) != keys.lookupHash(value))
        #expect(keys.lookupHash(value) == LinkLogKeys(master: SymmetricKey(data: Data(repeating: 9, count: 32))).lookupHash(value))
        let record = first.record(.linked, identifier: value, customer: anna, assurance: .verified, context: ChangeContext(actor: "webshop"))
        #expect(record.valueHash == first.hasher.hash(value) && record.identifierKind == .email)
    }

    @Test func theHasherIsHMACSHA256OfKindNamespaceAndValueEveryTime() {
        let key = SymmetricKey(data: Data(repeating: 5, count: 32))
        let hasher = IdentifierHasher(key: key)
        let card = Identifier(trustedKind: .loyaltyCard, namespace: "plussa", value: "6012345678901234")
        let expected = HMAC<SHA256>.authenticationCode(for: Array("loyalty_card\u{0}plussa\u{0}6012345678901234".utf8), using: key)
        let base64url = Data(expected).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        // The keyed state is copied for each hash, so repeated and interleaved hashes agree.
        #expect(hasher.hash(card) == base64url)
        _ = hasher.hash(value)
        #expect(hasher.hash(card) == base64url)
    }

    @Test func detailIsSealedToItsEntry() throws {
        let key = try keys.newCustomerKey(for: anna).key
        let detail = LinkLogDetail(value: "anna@example.com")
        let sealed = try key.seal(detail, sequence: 42)
        #expect(!String(decoding: sealed, as: UTF8.self).contains("anna"))
        #expect(try key.open(sealed, sequence: 42) == detail)
        #expect(throws: IdentityGraphError.self) { try key.open(sealed, sequence: 43) }
        let other = try keys.newCustomerKey(for: anna).key
        #expect(throws: IdentityGraphError.self) { try other.open(sealed, sequence: 42) }
        for detail in [LinkLogDetail(), LinkLogDetail(name: "Äiti Ö 😀"), LinkLogDetail(value: "", name: "x"), LinkLogDetail(value: "+358401234567", name: "Anna")] {
            #expect(try key.open(try key.seal(detail, sequence: 7), sequence: 7) == detail)
        }
    }
}
