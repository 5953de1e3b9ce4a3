import Crypto
import Foundation
import Identifiers
import IdentityGraph
import Testing

struct GraphRulesTests {
    func email(_ value: String) -> Identifier { Identifier(trustedKind: .email, namespace: nil, value: value) }
    func card(_ program: String, _ value: String) -> Identifier { Identifier(trustedKind: .loyaltyCard, namespace: program, value: value) }

    @Test func assuranceIsOrdered() {
        #expect(Assurance.inferred < .asserted)
        #expect(Assurance.asserted < .verified)
        #expect(Assurance.allCases.sorted() == [.inferred, .asserted, .verified])
    }

    @Test func defaultLimitsFollowTheIssue() throws {
        let rules = GraphRules.default
        let five = (0..<5).map { email("p\($0)@example.com") }
        #expect(throws: IdentityGraphError.limitExceeded(kind: .email, namespace: nil, limit: 5)) {
            try rules.checkLimit(adding: email("six@example.com"), to: five)
        }
        try rules.checkLimit(adding: email("five@example.com"), to: five.dropLast())
        #expect(throws: IdentityGraphError.limitExceeded(kind: .loyaltyCard, namespace: "plussa", limit: 1)) {
            try rules.checkLimit(adding: card("plussa", "2"), to: [card("plussa", "1")])
        }
        try rules.checkLimit(adding: card("bonus", "2"), to: [card("plussa", "1")])
        let receipts = (0..<1_000).map { Identifier(trustedKind: .receipt, namespace: "s", value: "1-\($0)") }
        try rules.checkLimit(adding: Identifier(trustedKind: .receipt, namespace: "s", value: "2-1"), to: receipts)
    }

    @Test func decisionCoversEveryCase() throws {
        let rules = GraphRules(limits: [.email: KindLimit(total: 1)], blocked: [email("test@example.com")])
        let anna = CustomerID.random(), bob = CustomerID.random()
        let existing = Link(identifier: email("a@example.com"), customerID: anna,
                            provenance: Provenance(channel: "pos", assurance: .asserted, linkedAt: Date()))

        #expect(try LinkDecision.decide(linking: email("a@example.com"), to: anna, at: .verified, existing: existing, customerIdentifiers: [], rules: rules) == .raise(from: .asserted))
        #expect(try LinkDecision.decide(linking: email("a@example.com"), to: anna, at: .inferred, existing: existing, customerIdentifiers: [], rules: rules) == .keep(existing))
        #expect(throws: IdentityGraphError.conflict(kind: .email, namespace: nil, owner: anna, requested: bob)) {
            try LinkDecision.decide(linking: email("a@example.com"), to: bob, at: .verified, existing: existing, customerIdentifiers: [], rules: rules)
        }
        #expect(throws: IdentityGraphError.blocked(kind: .email, namespace: nil)) {
            try LinkDecision.decide(linking: email("test@example.com"), to: bob, at: .verified, existing: nil, customerIdentifiers: [], rules: rules)
        }
        #expect(throws: IdentityGraphError.limitExceeded(kind: .email, namespace: nil, limit: 1)) {
            try LinkDecision.decide(linking: email("b@example.com"), to: anna, at: .asserted, existing: nil, customerIdentifiers: [email("a@example.com")], rules: rules)
        }
        #expect(try LinkDecision.decide(linking: email("b@example.com"), to: bob, at: .asserted, existing: nil, customerIdentifiers: [], rules: rules) == .insert)
    }

    @Test func errorDescriptionsNeverContainValues() {
        let anna = CustomerID.random()
        let errors: [IdentityGraphError] = [
            .conflict(kind: .email, namespace: nil, owner: anna, requested: nil),
            .limitExceeded(kind: .phone, namespace: nil, limit: 5), .blocked(kind: .email, namespace: nil),
            .linkNotFound(kind: .social, namespace: "instagram"), .storage("secret detail SELECT"),
        ]
        for error in errors {
            #expect(!error.description.contains("@"))
            #expect(!error.description.contains("secret"))
        }
    }

    @Test func keyedHashesSeparateKindsAndNamespaces() {
        let hasher = IdentifierHasher(key: SymmetricKey(data: Data(repeating: 3, count: 32)))
        let other = IdentifierHasher(key: SymmetricKey(data: Data(repeating: 4, count: 32)))
        let a = Identifier(trustedKind: .loyaltyCard, namespace: "plussa", value: "123")
        let b = Identifier(trustedKind: .loyaltyCard, namespace: "bonus", value: "123")
        let c = Identifier(trustedKind: .receipt, namespace: "plussa", value: "123")
        #expect(Set([hasher.hash(a), hasher.hash(b), hasher.hash(c)]).count == 3)
        #expect(hasher.hash(a) == hasher.hash(a))
        #expect(hasher.hash(a) != other.hash(a))
        #expect(hasher.hash(a).count == 43, "32 bytes as unpadded base64url")
    }
}
