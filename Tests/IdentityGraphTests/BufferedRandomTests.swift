import Crypto
import Foundation
import Identifiers
import IdentityGraph
import Testing

struct BufferedRandomTests {
    @Test func drawsAcrossRefillsAreDistinctAndCoverEveryByteValue() {
        // A 64-byte buffer refills every eight draws.
        var random = BufferedRandom(capacity: 64)
        let draws = (0..<2_000).map { _ in random.next() }
        #expect(Set(draws).count == draws.count)
        var seen = Set<UInt8>()
        for value in draws { withUnsafeBytes(of: value) { seen.formUnion($0) } }
        // 16,000 bytes miss one of the 256 values with probability about 256 * e^-62.
        #expect(seen.count == 256)
        var other = BufferedRandom(capacity: 64)
        #expect(other.next() != draws[0])
    }

    @Test func customerIdsKeysAndNoncesComeFromTheGenerator() throws {
        let keys = LinkLogKeys(master: SymmetricKey(data: Data(repeating: 3, count: 32)))
        var random = BufferedRandom(capacity: 64)
        let ids = (0..<100).map { _ in CustomerID.random(using: &random) }
        #expect(Set(ids).count == 100 && ids.allSatisfy { CustomerID(rawValue: $0.rawValue) != nil })
        let (key, wrapped) = try keys.newCustomerKey(for: ids[0], using: &random)
        #expect(wrapped.count == 12 + 64 + 16)
        let value = Identifier(trustedKind: .email, namespace: nil, value: "anna@example.com")
        #expect(try keys.customerKey(wrapped: wrapped, for: ids[0]).hasher.hash(value) == key.hasher.hash(value))
        #expect(try keys.newCustomerKey(for: ids[0], using: &random).key.hasher.hash(value) != key.hasher.hash(value))
        // Two seals of one detail differ (fresh nonces) and both open.
        let record = key.record(.linked, identifier: value, customer: ids[0], assurance: .verified, context: ChangeContext(actor: "test"))
        let detail = LinkLogDetail(value: value.value)
        let first = try key.seal(detail, for: record, using: &random)
        let second = try key.seal(detail, for: record, using: &random)
        #expect(first.prefix(12) != second.prefix(12))
        #expect(try key.open(first, for: record) == detail && key.open(second, for: record) == detail)
    }
}
