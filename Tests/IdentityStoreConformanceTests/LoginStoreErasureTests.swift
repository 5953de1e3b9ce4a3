import CustomerLogin
import Foundation
import Identifiers
import IdentityGraph
import Testing

/// What the login side holds about one customer: exported on request, forgotten on erasure.
@Suite("LoginStore conformance: access and erasure")
struct LoginStoreErasureTests {
    typealias Fixtures = LoginStoreConformanceTests

    @Test(arguments: StoreBackend.allCases)
    func loginRecordsAreExportedThenForgotten(backend: StoreBackend) async throws {
        let store = try backend.makeLoginStore()
        let email = Identifier(trustedKind: .email, namespace: nil, value: "anna@example.com")
        try await store.createSession(Fixtures.session(), cookieDigest: "cookie-1")
        try await store.addChannel("webshop", toSession: "sid-1", at: Fixtures.now)
        try await store.createRefreshFamily(Fixtures.family(), firstTokenDigest: "refresh-1")
        try await store.saveCode(try Fixtures.grant(), digest: "code-1")
        try await store.setPassword("$scrypt$not-a-real-hash", for: Fixtures.customer)
        try await store.saveChallenge(Fixtures.challenge(identifier: email))
        try await store.enqueue(Fixtures.message("message-1", createdAt: Fixtures.now))
        // Someone else's records stay.
        var other = Fixtures.session("sid-2")
        other.authentication.customerID = CustomerID.random()
        try await store.createSession(other, cookieDigest: "cookie-2")

        let records = try await store.loginRecords(of: Fixtures.customer)
        #expect(records.sessions.map(\.id) == ["sid-1"] && records.sessions.first?.channels == ["webshop"])
        #expect(records.refreshFamilies.map(\.id) == ["family-1"])
        #expect(records.hasPassword)

        let removed = try await store.forgetCustomer(Fixtures.customer, identifiers: [email])
        #expect(removed >= 7)
        let after = try await store.loginRecords(of: Fixtures.customer)
        #expect(after == CustomerLoginRecords(sessions: [], refreshFamilies: [], hasPassword: false))
        #expect(try await store.session(cookieDigest: "cookie-1") == nil)
        #expect(try await store.refreshToken(digest: "refresh-1") == nil)
        #expect(try await store.redeemCode(digest: "code-1", now: Fixtures.now) == .unknown)
        #expect(try await store.challenge("challenge-1") == nil)
        #expect(try await store.dueMessages(now: Fixtures.at(1), limit: 10).isEmpty)
        #expect(try await store.session(cookieDigest: "cookie-2") != nil)
        #expect(try await store.forgetCustomer(Fixtures.customer, identifiers: [email]) == 0)
    }
}
