import Foundation
import Identifiers
import IdentityGraph
import Testing

/// The contract of `IdentityStore`, run against every backend.
@Suite("IdentityStore conformance")
struct IdentityStoreConformanceTests {
    @Test(arguments: StoreBackend.allCases)
    func createCustomerStoresLinksAndLogsEachChange(backend: StoreBackend) async throws {
        let store = try backend.make()
        let customer = try await store.createCustomer(
            newCustomer(email("anna@example.com"), phone("+358401234567"), profile: Profile(givenName: "Anna")), context: context()
        )
        #expect(customer.links.count == 2)
        let stored = try #require(try await store.customer(customer.id))
        #expect(stored.profile.givenName == "Anna")
        #expect(Set(stored.links.map(\.identifier)) == [email("anna@example.com"), phone("+358401234567")])
        #expect(stored.links.allSatisfy { $0.provenance.channel == "webshop" && $0.provenance.assurance == .asserted })

        let log = try await store.linkLog(customer: nil, after: nil, limit: 100)
        #expect(log.map(\.sequence) == [1, 2, 3])
        #expect(log.map(\.record.action) == [.customerCreated, .linked, .linked])
        #expect(log.allSatisfy { $0.record.customerID == customer.id && $0.record.actor == "webshop" })
        // The log stores keyed hashes, never values; not even under the log key itself.
        #expect(log[1].record.valueHash != nil && log[1].record.valueHash != IdentifierHasher(key: StoreBackend.logKey).hash(email("anna@example.com")))
        #expect(!log.contains { ($0.record.valueHash ?? "").contains("anna") })
    }

    @Test(arguments: StoreBackend.allCases)
    func createCustomerIsAllOrNothing(backend: StoreBackend) async throws {
        let store = try backend.make()
        let first = try await store.createCustomer(newCustomer(email("anna@example.com")), context: context())
        let before = try await Snapshot(store, customers: [first.id])

        await #expect(throws: IdentityGraphError.conflict(kind: .email, namespace: nil, owner: first.id, requested: nil)) {
            try await store.createCustomer(newCustomer(phone("+358401234567"), email("anna@example.com")), context: context())
        }
        #expect(try await Snapshot(store, customers: [first.id]) == before)
        #expect(try await store.resolve(phone("+358401234567")) == nil)
    }

    @Test(arguments: StoreBackend.allCases)
    func createCustomerRefusesDuplicatesLimitsAndBlockedValues(backend: StoreBackend) async throws {
        var rules = GraphRules.default
        rules.blocked = [email("test@example.com")]
        let store = try backend.make(rules: rules)

        await #expect(throws: IdentityGraphError.duplicateInRequest(firstIndex: 0, secondIndex: 1)) {
            try await store.createCustomer(newCustomer(email("a@example.com"), email("a@example.com")), context: context())
        }
        await #expect(throws: IdentityGraphError.limitExceeded(kind: .loyaltyCard, namespace: "plussa", limit: 1)) {
            try await store.createCustomer(newCustomer(card("plussa", "6012345678901234"), card("plussa", "6012000000000009")), context: context())
        }
        await #expect(throws: IdentityGraphError.blocked(kind: .email, namespace: nil)) {
            try await store.createCustomer(newCustomer(email("test@example.com")), context: context())
        }
        #expect(try await store.statistics() == StoreStatistics(customers: 0, links: 0, logEntries: 0))
    }

    @Test(arguments: StoreBackend.allCases)
    func linkRaisesAssuranceButNeverLowersIt(backend: StoreBackend) async throws {
        let store = try backend.make()
        let customer = try await store.createCustomer(newCustomer(email("anna@example.com")), context: context())

        let linked = try await store.link(phone("+358401234567"), to: customer.id, assurance: .inferred, context: context("pos"))
        #expect(linked == .linked(Link(identifier: phone("+358401234567"), customerID: customer.id,
                                       provenance: Provenance(channel: "pos", assurance: .inferred, linkedAt: fixedTime))))

        let again = try await store.link(phone("+358401234567"), to: customer.id, assurance: .inferred, context: context("pos"))
        guard case .unchanged = again else { Issue.record("expected unchanged, got \(again)"); return }

        let raised = try await store.link(phone("+358401234567"), to: customer.id, assurance: .verified, context: context("webshop"))
        guard case let .assuranceRaised(link) = raised else { Issue.record("expected raise, got \(raised)"); return }
        #expect(link.provenance.assurance == .verified)

        let lower = try await store.link(phone("+358401234567"), to: customer.id, assurance: .asserted, context: context("callcenter"))
        #expect(lower.link.provenance.assurance == .verified)
        guard case .unchanged = lower else { Issue.record("expected unchanged, got \(lower)"); return }

        let log = try await store.linkLog(customer: customer.id, after: nil, limit: 100)
        #expect(log.map(\.record.action) == [.customerCreated, .linked, .linked, .assuranceRaised])
    }

    @Test(arguments: StoreBackend.allCases)
    func linkConflictNamesBothCustomersRecordsACandidateAndChangesNoLink(backend: StoreBackend) async throws {
        let store = try backend.make()
        let anna = try await store.createCustomer(newCustomer(email("anna@example.com")), context: context())
        let other = try await store.createCustomer(newCustomer(card("plussa", "6012345678901234")), context: context("pos"))
        let before = try await Snapshot(store, customers: [anna.id, other.id])

        await #expect(throws: IdentityGraphError.conflict(kind: .email, namespace: nil, owner: anna.id, requested: other.id)) {
            try await store.link(email("anna@example.com"), to: other.id, assurance: .asserted, context: context("pos"))
        }
        #expect(try await Snapshot(store, customers: [anna.id, other.id]) == before)
        let candidates = try await store.duplicateCandidates(limit: 10)
        #expect(candidates.count == 1)
        #expect(Set([candidates[0].first, candidates[0].second]) == [anna.id, other.id])
        #expect(candidates[0].first < candidates[0].second)
        #expect(candidates[0].kind == .email)

        // A second refusal for the same pair counts, it does not add a row.
        _ = try? await store.link(email("anna@example.com"), to: other.id, assurance: .asserted, context: context("pos"))
        let again = try await store.duplicateCandidates(limit: 10)
        #expect(again.count == 1)
        #expect(again.first?.occurrences == 2)
    }

    @Test(arguments: StoreBackend.allCases)
    func linkRefusesUnknownCustomersLimitsAndBlockedValues(backend: StoreBackend) async throws {
        var rules = GraphRules.default
        rules.blocked = [phone("+358912345678")]
        let store = try backend.make(rules: rules)
        let customer = try await store.createCustomer(newCustomer(card("plussa", "6012345678901234")), context: context())
        let before = try await Snapshot(store, customers: [customer.id])
        let unknown = CustomerID.random()

        await #expect(throws: IdentityGraphError.customerNotFound(unknown)) {
            try await store.link(email("x@example.com"), to: unknown, assurance: .asserted, context: context())
        }
        await #expect(throws: IdentityGraphError.limitExceeded(kind: .loyaltyCard, namespace: "plussa", limit: 1)) {
            try await store.link(card("plussa", "6012000000000009"), to: customer.id, assurance: .asserted, context: context())
        }
        await #expect(throws: IdentityGraphError.blocked(kind: .phone, namespace: nil)) {
            try await store.link(phone("+358912345678"), to: customer.id, assurance: .asserted, context: context())
        }
        #expect(try await Snapshot(store, customers: [customer.id]) == before)
        // Another program is another namespace.
        _ = try await store.link(card("bonus", "12345678"), to: customer.id, assurance: .asserted, context: context())
    }

    @Test(arguments: StoreBackend.allCases)
    func unlinkRemovesTheLinkAndLogsTheReason(backend: StoreBackend) async throws {
        let store = try backend.make()
        let anna = try await store.createCustomer(newCustomer(email("anna@example.com"), phone("+358401234567")), context: context())
        let other = try await store.createCustomer(newCustomer(email("other@example.com")), context: context())
        let before = try await Snapshot(store, customers: [anna.id, other.id])

        await #expect(throws: IdentityGraphError.linkNotFound(kind: .phone, namespace: nil)) {
            try await store.unlink(phone("+358401234567"), from: other.id, context: context(reason: "wrong owner"))
        }
        await #expect(throws: IdentityGraphError.linkNotFound(kind: .email, namespace: nil)) {
            try await store.unlink(email("nobody@example.com"), from: nil, context: context(reason: "unknown"))
        }
        #expect(try await Snapshot(store, customers: [anna.id, other.id]) == before)

        let removed = try await store.unlink(phone("+358401234567"), from: anna.id, context: context("callcenter", reason: "number recycled"))
        #expect(removed.customerID == anna.id)
        #expect(try await store.resolve(phone("+358401234567")) == nil)
        let last = try #require(try await store.linkLog(customer: anna.id, after: nil, limit: 100).last)
        #expect(last.record.action == .unlinked)
        #expect(last.record.reason == "number recycled")
        #expect(last.record.actor == "callcenter")
        // Free again: another customer may link it now.
        _ = try await store.link(phone("+358401234567"), to: other.id, assurance: .asserted, context: context())
    }

    @Test(arguments: StoreBackend.allCases)
    func resolveFindsTheCustomerWithAllLinks(backend: StoreBackend) async throws {
        let store = try backend.make()
        let anna = try await store.createCustomer(newCustomer(email("anna@example.com"), phone("+358401234567")), context: context())
        let bob = try await store.createCustomer(newCustomer(email("bob@example.com")), context: context())

        let resolved = try #require(try await store.resolve(phone("+358401234567")))
        #expect(resolved.customerID == anna.id)
        #expect(Set(resolved.links.map(\.identifier)) == [email("anna@example.com"), phone("+358401234567")])
        #expect(try await store.resolve(email("nobody@example.com")) == nil)

        let batch = try await store.resolve(batch: [email("bob@example.com"), email("nobody@example.com"), phone("+358401234567")])
        #expect(batch.count == 2)
        #expect(batch[email("bob@example.com")]?.customerID == bob.id)
        #expect(batch[phone("+358401234567")]?.customerID == anna.id)
    }

    @Test(arguments: StoreBackend.allCases)
    func importIsAllOrNothingPerCustomer(backend: StoreBackend) async throws {
        let store = try backend.make()
        let existing = try await store.createCustomer(newCustomer(email("taken@example.com")), context: context())
        let batch = [
            newCustomer(email("a@example.com"), phone("+358401111111")),
            newCustomer(email("b@example.com"), email("taken@example.com")),      // conflict with an existing customer
            newCustomer(email("c@example.com"), email("c@example.com")),          // duplicate in the line
            newCustomer(email("d@example.com")),
            newCustomer(phone("+358401111111"), email("e@example.com")),          // conflict with line 0 of this batch
        ]
        let results = try await store.importCustomers(batch, context: context("import"))
        #expect(results.count == 5)
        #expect(try results[0].get() == batch[0].id)
        #expect(results[1] == .failure(.conflict(kind: .email, namespace: nil, owner: existing.id, requested: nil)))
        #expect(results[2] == .failure(.duplicateInRequest(firstIndex: 0, secondIndex: 1)))
        #expect(try results[3].get() == batch[3].id)
        #expect(results[4] == .failure(.conflict(kind: .phone, namespace: nil, owner: batch[0].id, requested: nil)))

        #expect(try await store.resolve(email("b@example.com")) == nil)
        #expect(try await store.resolve(email("e@example.com")) == nil)
        #expect(try await store.customer(batch[1].id) == nil)
        #expect(try await store.customer(batch[4].id) == nil)
        #expect(try await store.statistics() == StoreStatistics(customers: 3, links: 4, logEntries: 3 + 4))
        let log = try await store.linkLog(customer: nil, after: nil, limit: 100)
        #expect(log.map(\.sequence) == Array(1...7), "sequence numbers have no gaps after refused lines")
    }

    /// A batch decides its customers in order, as if written one by one: an identifier claimed
    /// by a line that is itself refused stays free for a later line, whatever order a store
    /// writes the rows in.
    @Test(arguments: StoreBackend.allCases)
    func importDecidesEachLineAsIfWrittenInOrder(backend: StoreBackend) async throws {
        let store = try backend.make()
        let existing = try await store.createCustomer(newCustomer(email("taken@example.com")), context: context())
        let batch = [
            newCustomer(email("a@example.com"), email("taken@example.com")),            // refused: the graph has taken@
            newCustomer(email("a@example.com"), phone("+358401111111"), assurance: .verified), // a@ is free again
            newCustomer(phone("+358401111111")),                                        // refused: line 1 has it
            newCustomer(email("b@example.com")),
            newCustomer(email("c@example.com"), email("b@example.com")),                // refused: line 3 has b@
            newCustomer(email("c@example.com")),                                        // c@ is free again
        ]
        let results = try await store.importCustomers(batch, context: context("import"))
        #expect(results[0] == .failure(.conflict(kind: .email, namespace: nil, owner: existing.id, requested: nil)))
        #expect(try results[1].get() == batch[1].id)
        #expect(results[2] == .failure(.conflict(kind: .phone, namespace: nil, owner: batch[1].id, requested: nil)))
        #expect(try results[3].get() == batch[3].id)
        #expect(results[4] == .failure(.conflict(kind: .email, namespace: nil, owner: batch[3].id, requested: nil)))
        #expect(try results[5].get() == batch[5].id)

        let a = try #require(try await store.resolve(email("a@example.com")))
        #expect(a.customerID == batch[1].id)
        #expect(a.links.first { $0.identifier == email("a@example.com") }?.provenance.assurance == .verified)
        #expect(try await store.resolve(email("c@example.com"))?.customerID == batch[5].id)
        #expect(try await store.resolve(email("taken@example.com"))?.customerID == existing.id)
        for refused in [0, 2, 4] { #expect(try await store.customer(batch[refused].id) == nil) }
        #expect(try await store.statistics() == StoreStatistics(customers: 4, links: 5, logEntries: 4 + 5))
        let log = try await store.linkLog(customer: nil, after: nil, limit: 100)
        #expect(log.map(\.sequence) == Array(1...9))
        #expect(log.dropFirst(2).map(\.record.customerID) == [batch[1].id, batch[1].id, batch[1].id, batch[3].id, batch[3].id, batch[5].id, batch[5].id])
    }

    /// A first load into an empty graph may run as one bulk load (SQLite builds three indexes at
    /// its end): afterwards every read answers as after row-by-row writes, including the reads
    /// those indexes serve, and a load that fails midway keeps what it wrote.
    @Test(arguments: StoreBackend.allCases)
    func aBulkLoadLeavesEveryReadAnswering(backend: StoreBackend) async throws {
        let store = try backend.make()
        let batch = [newCustomer(email("h@example.com"), phone("+358403333333")), newCustomer(email("i@example.com"))]
        let results = try await store.bulkLoad {
            try await store.importCustomers(batch, context: context("import"))
        }
        #expect(try results.map { try $0.get() } == batch.map(\.id))
        #expect(try await store.customer(batch[0].id)?.links.count == 2)
        #expect(try await store.resolve(phone("+358403333333"))?.links.count == 2)
        #expect(try await store.linkLog(customer: batch[0].id, after: nil, limit: 10).count == 3)
        let history = try await store.searchLinkLog(LinkLogQuery(identifier: email("i@example.com")), after: nil, limit: 10)
        #expect(history.map(\.entry.record.customerID) == [batch[1].id])

        struct Interrupted: Error {}
        let interrupted = try backend.make()
        await #expect(throws: Interrupted.self) {
            try await interrupted.bulkLoad {
                _ = try await interrupted.importCustomers(batch, context: context("import"))
                throw Interrupted()
            }
        }
        #expect(try await interrupted.linkLog(customer: batch[1].id, after: nil, limit: 10).count == 2)
        #expect(try await interrupted.statistics() == StoreStatistics(customers: 2, links: 3, logEntries: 5))
    }

    /// A bulk import prepares its next batch while the store writes the previous one, so the
    /// graph may change between preparing and writing: the store must decide conflicts then.
    @Test(arguments: StoreBackend.allCases)
    func aPreparedImportIsCheckedAgainstTheGraphWhenWritten(backend: StoreBackend) async throws {
        let store = try backend.make()
        let batch = [newCustomer(email("f@example.com")), newCustomer(email("g@example.com"), phone("+358402222222"))]
        let prepared = try await store.prepareImport(batch, context: context("import"))
        #expect(try await store.statistics() == StoreStatistics(customers: 0, links: 0, logEntries: 0), "preparing writes nothing")
        // Meanwhile a channel takes one of the batch's identifiers.
        let other = try await store.createCustomer(newCustomer(phone("+358402222222")), context: context("pos"))
        let results = try await store.importCustomers(prepared)
        #expect(try results[0].get() == batch[0].id)
        #expect(results[1] == .failure(.conflict(kind: .phone, namespace: nil, owner: other.id, requested: nil)))
        #expect(try await store.resolve(email("g@example.com")) == nil, "nothing of the refused customer was written")
        #expect(try await store.statistics() == StoreStatistics(customers: 2, links: 2, logEntries: 2 + 2))
        let log = try await store.linkLog(customer: nil, after: nil, limit: 100)
        #expect(log.map(\.sequence) == Array(1...4))
    }

    @Test(arguments: StoreBackend.allCases)
    func linkLogPagesByCustomerAndSequence(backend: StoreBackend) async throws {
        let store = try backend.make()
        let anna = try await store.createCustomer(newCustomer(email("anna@example.com")), context: context())
        let bob = try await store.createCustomer(newCustomer(email("bob@example.com")), context: context())
        for index in 0..<3 {
            _ = try await store.link(receipt("helsinki", "1-\(index)"), to: anna.id, assurance: .inferred, context: context("pos"))
        }
        let page1 = try await store.linkLog(customer: anna.id, after: nil, limit: 2)
        #expect(page1.count == 2)
        let page2 = try await store.linkLog(customer: anna.id, after: page1.last?.sequence, limit: 10)
        #expect(page2.count == 3)
        #expect((page1 + page2).allSatisfy { $0.record.customerID == anna.id })
        #expect((page1 + page2).map(\.sequence) == (page1 + page2).map(\.sequence).sorted())
        #expect(try await store.linkLog(customer: bob.id, after: nil, limit: 10).count == 2)
        #expect(try await store.linkLog(customer: nil, after: 6, limit: 10).map(\.sequence) == [7])
    }

    @Test(arguments: StoreBackend.allCases)
    func concurrentLinksNeverExceedALimit(backend: StoreBackend) async throws {
        let store = try backend.make()
        let customer = try await store.createCustomer(newCustomer(card("plussa", "6012345678901234")), context: context())
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<20 {
                group.addTask {
                    (try? await store.link(email("person\(index)@example.com"), to: customer.id, assurance: .asserted, context: context())) != nil
                }
            }
            var successes = 0
            for await success in group where success { successes += 1 }
            return successes
        }
        #expect(outcomes == 5, "the default policy allows five e-mail addresses")
        let stored = try #require(try await store.customer(customer.id))
        #expect(stored.links.filter { $0.identifier.kind == .email }.count == 5)
        #expect(try await store.linkLog(customer: customer.id, after: nil, limit: 100).filter { $0.record.action == .linked }.count == 6)
    }

    @Test(arguments: StoreBackend.allCases)
    func concurrentClaimsOfOneIdentifierHaveOneWinner(backend: StoreBackend) async throws {
        let store = try backend.make()
        var customers: [CustomerID] = []
        for index in 0..<10 {
            customers.append(try await store.createCustomer(newCustomer(email("c\(index)@example.com")), context: context()).id)
        }
        let winners = await withTaskGroup(of: CustomerID?.self) { group in
            for id in customers {
                group.addTask {
                    (try? await store.link(phone("+358401234567"), to: id, assurance: .asserted, context: context())) != nil ? id : nil
                }
            }
            var winners: [CustomerID] = []
            for await winner in group { if let winner { winners.append(winner) } }
            return winners
        }
        #expect(winners.count == 1)
        #expect(try await store.resolve(phone("+358401234567"))?.customerID == winners.first)
        #expect(try await store.duplicateCandidates(limit: 100).count == 9)
    }
}
