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
        #expect(wrapped.count == 12 + 64 + 16)
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

    @Test func detailIsSealedToItsCustomerAndValueHash() throws {
        let key = try keys.newCustomerKey(for: anna).key
        let record = key.record(.linked, identifier: value, customer: anna, assurance: .verified, context: ChangeContext(actor: "webshop"))
        let detail = LinkLogDetail(value: "anna@example.com")
        let sealed = try key.seal(detail, for: record)
        #expect(!String(decoding: sealed, as: UTF8.self).contains("anna"))
        #expect(try key.open(sealed, for: record) == detail)
        // Not for an entry about another value, nor another customer's entry.
        let phone = key.record(.linked, identifier: Identifier(trustedKind: .phone, namespace: nil, value: "+358401234567"), customer: anna,
                               assurance: .verified, context: ChangeContext(actor: "webshop"))
        #expect(throws: IdentityGraphError.self) { try key.open(sealed, for: phone) }
        var moved = record
        moved.customerID = ben
        #expect(throws: IdentityGraphError.self) { try key.open(sealed, for: moved) }
        let other = try keys.newCustomerKey(for: anna).key
        #expect(throws: IdentityGraphError.self) { try other.open(sealed, for: record) }
        for detail in [LinkLogDetail(), LinkLogDetail(name: "Äiti Ö 😀"), LinkLogDetail(value: "", name: "x"), LinkLogDetail(value: "+358401234567", name: "Anna")] {
            #expect(try key.open(try key.seal(detail, for: record), for: record) == detail)
        }
    }

    @Test func aNewCustomersLogIsComputedBeforeTheWrite() throws {
        let new = NewCustomer(identifiers: [.init(identifier: value, assurance: .verified)], profile: Profile(givenName: "Anna", familyName: "Virtanen"))
        let context = ChangeContext(actor: "import", reason: "bulk import")
        let logs = try NewCustomerLog.batch(Array(repeating: new, count: 3), context: context, keys: keys)
        #expect(logs.count == 3)
        let log = logs[0]
        let key = try keys.customerKey(wrapped: log.wrappedKey, for: new.id)
        #expect(log.created.action == .customerCreated && log.created.customerID == new.id && log.created.reason == "bulk import")
        #expect(try key.open(try #require(log.sealedName), for: log.created) == LinkLogDetail(name: "Anna Virtanen"))
        #expect(log.links.count == 1 && log.links[0].record.valueHash == key.hasher.hash(value) && log.links[0].lookup == keys.lookupHash(value))
        #expect(try key.open(log.links[0].sealedDetail, for: log.links[0].record) == LinkLogDetail(value: "anna@example.com"))
        // Every customer of a batch gets a key of their own.
        #expect(logs[1].links[0].record.valueHash != log.links[0].record.valueHash)
    }
}
