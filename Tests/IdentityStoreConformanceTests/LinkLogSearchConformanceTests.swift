import Foundation
import Identifiers
import IdentityGraph
import Testing

/// Reviewing the log: filters, the readable detail beside it, and per-customer hashes.
@Suite("Link-log search conformance")
struct LinkLogSearchConformanceTests {
    @Test(arguments: StoreBackend.allCases)
    func searchFiltersByIdentifierCustomerActorActionAndTime(backend: StoreBackend) async throws {
        let store = try backend.make()
        let early = ChangeContext(actor: "webshop", time: fixedTime)
        let late = ChangeContext(actor: "pos", time: fixedTime.addingTimeInterval(3_600))
        let anna = try await store.createCustomer(
            newCustomer(email("anna@example.com"), profile: Profile(givenName: "Anna", familyName: "Virtanen")), context: early
        )
        let ben = try await store.createCustomer(newCustomer(email("ben@example.com")), context: early)
        _ = try await store.link(phone("+358401234567"), to: anna.id, assurance: .verified, context: late)
        _ = try await store.unlink(phone("+358401234567"), from: anna.id, context: late)
        _ = try await store.link(phone("+358401234567"), to: ben.id, assurance: .asserted, context: late)

        let phoneHistory = try await store.searchLinkLog(LinkLogQuery(identifier: phone("+358401234567")), after: nil, limit: 10)
        #expect(phoneHistory.map(\.entry.record.action) == [.linked, .unlinked, .linked])
        #expect(phoneHistory.map(\.entry.record.customerID) == [anna.id, anna.id, ben.id])
        #expect(phoneHistory.allSatisfy { $0.detail?.value == "+358401234567" })
        // One customer's entries share a hash; another customer's hash of the same value differs.
        #expect(phoneHistory[0].entry.record.valueHash == phoneHistory[1].entry.record.valueHash)
        #expect(phoneHistory[1].entry.record.valueHash != phoneHistory[2].entry.record.valueHash)

        let created = try await store.searchLinkLog(LinkLogQuery(customer: anna.id, action: .customerCreated), after: nil, limit: 10)
        #expect(created.count == 1 && created[0].detail == LinkLogDetail(name: "Anna Virtanen"))
        let byPOS = try await store.searchLinkLog(LinkLogQuery(actor: "pos"), after: nil, limit: 10)
        #expect(byPOS.count == 3 && byPOS.allSatisfy { $0.entry.record.actor == "pos" })
        let beforeLate = try await store.searchLinkLog(LinkLogQuery(until: late.time), after: nil, limit: 10)
        #expect(beforeLate.map(\.entry.sequence) == [1, 2, 3, 4])
        let fromLate = try await store.searchLinkLog(LinkLogQuery(customer: ben.id, identifier: phone("+358401234567"), since: late.time), after: nil, limit: 10)
        #expect(fromLate.map(\.entry.sequence) == [phoneHistory[2].entry.sequence])
        // Paging: after and limit.
        let page = try await store.searchLinkLog(LinkLogQuery(), after: 2, limit: 2)
        #expect(page.map(\.entry.sequence) == [3, 4])
        #expect(try await store.searchLinkLog(LinkLogQuery(identifier: email("nobody@example.com")), after: nil, limit: 10).isEmpty)
    }

    @Test(arguments: StoreBackend.allCases)
    func tokenExchangeEventsHashTheAssertedIdentifierUnderTheCustomersKey(backend: StoreBackend) async throws {
        let store = try backend.make()
        let anna = try await store.createCustomer(newCustomer(email("anna@example.com")), context: context())
        let event = try await store.recordEvent(
            LinkLogRecord(time: fixedTime, actor: "callcenter", action: .tokenExchanged, customerID: anna.id, reason: "audience=crm"),
            identifier: email("anna@example.com")
        )
        let linked = try #require(try await store.linkLog(customer: anna.id, after: nil, limit: 10).first { $0.record.action == .linked })
        #expect(event.record.identifierKind == .email && event.record.valueHash == linked.record.valueHash)
        let found = try await store.searchLinkLog(LinkLogQuery(identifier: email("anna@example.com"), action: .tokenExchanged), after: nil, limit: 10)
        #expect(found.map(\.entry) == [event] && found[0].detail?.value == "anna@example.com")
        let plain = try await store.recordEvent(
            LinkLogRecord(time: fixedTime, actor: "callcenter", action: .tokenExchanged, customerID: anna.id), identifier: nil
        )
        #expect(plain.record.valueHash == nil && plain.sequence == event.sequence + 1)
    }
}
