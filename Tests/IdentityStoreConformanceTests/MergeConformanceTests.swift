import Foundation
import Identifiers
import IdentityGraph
import Testing

func admin(_ reason: String = "same person", at time: Date = fixedTime.addingTimeInterval(60)) -> ChangeContext {
    ChangeContext(actor: "admin-cli", reason: reason, operatorName: "maija", time: time)
}

/// Merges, unmerges, moves and erasure: the admin side of the `IdentityStore` contract.
@Suite("IdentityStore conformance: merges and erasure")
struct MergeConformanceTests {
    /// Two customers that are one person: the web-shop account and the store's loyalty customer.
    func twoCustomers(_ store: any IdentityStore) async throws -> (survivor: Customer, duplicate: Customer) {
        let survivor = try await store.createCustomer(
            newCustomer(email("anna@example.com"), phone("+358401234567"), profile: Profile(givenName: "Anna", locale: "fi-FI")),
            context: context("webshop")
        )
        let duplicate = try await store.createCustomer(
            NewCustomer(identifiers: [
                .init(identifier: card("plussa", "6012345678901234"), assurance: .verified),
                .init(identifier: email("anna.k@example.org"), assurance: .inferred),
            ], profile: Profile(givenName: "Anna-Liisa", familyName: "Korhonen", birthdate: "1985-04-12")),
            context: ChangeContext(actor: "pos", time: fixedTime.addingTimeInterval(1))
        )
        return (try #require(try await store.customer(survivor.id)), try #require(try await store.customer(duplicate.id)))
    }

    @Test(arguments: StoreBackend.allCases)
    func mergeMovesEveryLinkAndTheDuplicateResolvesToTheSurvivor(backend: StoreBackend) async throws {
        let store = try backend.make()
        let (survivor, duplicate) = try await twoCustomers(store)

        let merge = try await store.merge(survivor: survivor.id, duplicate: duplicate.id, context: admin())
        #expect(merge.state == .active && merge.operatorName == "maija" && merge.reason == "same person")

        let merged = try #require(try await store.customer(survivor.id))
        #expect(merged.links.count == 4)
        // Links keep their provenance: the loyalty card stays verified by the store.
        let cardLink = try #require(merged.links.first { $0.identifier == card("plussa", "6012345678901234") })
        #expect(cardLink.provenance == Provenance(channel: "pos", assurance: .verified, linkedAt: fixedTime.addingTimeInterval(1)))
        // Profile gaps are filled from the duplicate; the survivor's own fields win.
        #expect(merged.profile == Profile(givenName: "Anna", familyName: "Korhonen", birthdate: "1985-04-12", locale: "fi-FI"))

        #expect(try await store.resolve(card("plussa", "6012345678901234"))?.customerID == survivor.id)
        #expect(try await store.customer(duplicate.id)?.id == survivor.id)
        #expect(try await store.customerStatus(duplicate.id) == .merged(into: survivor.id, merge: merge.id))
        #expect(try await store.statistics().customers == 1)

        let log = try await store.linkLog(customer: duplicate.id, after: nil, limit: 100)
        let entry = try #require(log.last)
        #expect(entry.record.action == .merged && entry.record.customerID == survivor.id && entry.record.relatedCustomerID == duplicate.id)
        #expect(entry.record.mergeID == merge.id && entry.record.operatorName == "maija" && entry.record.actor == "admin-cli")
        #expect(try await store.merges(involving: duplicate.id) == [merge])
        #expect(try await store.mergeRecord(merge.id) == merge)
    }

    @Test(arguments: StoreBackend.allCases)
    func unmergeRestoresBothCustomersExactlyLinkByLink(backend: StoreBackend) async throws {
        let store = try backend.make()
        let (survivor, duplicate) = try await twoCustomers(store)
        let merge = try await store.merge(survivor: survivor.id, duplicate: duplicate.id, context: admin())

        let outcome = try await store.unmerge(merge.id, moving: [], context: admin("wrong merge", at: fixedTime.addingTimeInterval(120)))
        #expect(outcome.missing.isEmpty && outcome.moved.isEmpty)
        #expect(outcome.merge.state == .undone && outcome.merge.undoReason == "wrong merge" && outcome.merge.undoneBy == "maija")

        #expect(try await store.customer(survivor.id) == survivor)
        #expect(try await store.customer(duplicate.id) == duplicate)
        #expect(try await store.customerStatus(duplicate.id) == .active)
        for link in duplicate.links {
            #expect(try await store.resolve(link.identifier)?.links.first { $0.identifier == link.identifier } == link)
        }
        #expect(try await store.mergeRecord(merge.id)?.state == .undone)
        let last = try #require(try await store.linkLog(customer: nil, after: nil, limit: 100).last)
        #expect(last.record.action == .unmerged && last.record.mergeID == merge.id && last.record.reason == "wrong merge")

        await #expect(throws: IdentityGraphError.mergeUndone(merge.id)) {
            try await store.unmerge(merge.id, moving: [], context: admin())
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func identifiersGainedAfterTheMergeStayUnlessMoved(backend: StoreBackend) async throws {
        let store = try backend.make()
        let (survivor, duplicate) = try await twoCustomers(store)
        let merge = try await store.merge(survivor: survivor.id, duplicate: duplicate.id, context: admin())
        try await store.link(phone("+358409999999"), to: survivor.id, assurance: .asserted, context: context("callcenter"))
        try await store.link(email("korhonen@example.net"), to: duplicate.id, assurance: .asserted, context: context("callcenter"))
        // One of the duplicate's identifiers left meanwhile: it cannot come back.
        _ = try await store.unlink(email("anna.k@example.org"), from: nil, context: context("webshop", reason: "bounced"))

        let outcome = try await store.unmerge(merge.id, moving: [email("korhonen@example.net")], context: admin("wrong merge"))
        #expect(outcome.restored.map(\.identifier) == [card("plussa", "6012345678901234")])
        #expect(outcome.moved.map(\.identifier) == [email("korhonen@example.net")])
        #expect(outcome.missing == [email("anna.k@example.org")])
        #expect(try await store.resolve(phone("+358409999999"))?.customerID == survivor.id)
        #expect(try await store.resolve(email("korhonen@example.net"))?.customerID == duplicate.id)
        #expect(try await store.customer(survivor.id)?.profile == survivor.profile)

        let moved = try #require(try await store.linkLog(customer: duplicate.id, after: nil, limit: 100).last)
        #expect(moved.record.action == .moved && moved.record.customerID == duplicate.id && moved.record.relatedCustomerID == survivor.id)
    }

    @Test(arguments: StoreBackend.allCases)
    func unmergeRefusesAnIdentifierTheSurvivorDoesNotHold(backend: StoreBackend) async throws {
        let store = try backend.make()
        let (survivor, duplicate) = try await twoCustomers(store)
        let merge = try await store.merge(survivor: survivor.id, duplicate: duplicate.id, context: admin())
        let before = try await Snapshot(store, customers: [survivor.id, duplicate.id])
        await #expect(throws: IdentityGraphError.linkNotFound(kind: .email, namespace: nil)) {
            try await store.unmerge(merge.id, moving: [email("nobody@example.com")], context: admin())
        }
        #expect(try await Snapshot(store, customers: [survivor.id, duplicate.id]) == before)
        await #expect(throws: IdentityGraphError.mergeNotFound(MergeID(rawValue: "mrg_" + String(repeating: "a", count: 26))!)) {
            try await store.unmerge(MergeID(rawValue: "mrg_" + String(repeating: "a", count: 26))!, moving: [], context: admin())
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func chainsCollapseAndUnmergeWaitsForTheMergesThatDependOnIt(backend: StoreBackend) async throws {
        let store = try backend.make()
        let a = try await store.createCustomer(newCustomer(email("a@example.com")), context: context())
        let b = try await store.createCustomer(newCustomer(email("b@example.com")), context: context())
        let c = try await store.createCustomer(newCustomer(email("c@example.com")), context: context())

        let first = try await store.merge(survivor: b.id, duplicate: a.id, context: admin())
        let second = try await store.merge(survivor: c.id, duplicate: b.id, context: admin())
        // A → B → C resolves to C in one step.
        #expect(try await store.customerStatus(a.id) == .merged(into: c.id, merge: first.id))
        #expect(try await store.customer(a.id)?.id == c.id)
        #expect(try await store.customer(a.id)?.links.count == 3)

        let before = try await Snapshot(store, customers: [a.id, b.id, c.id])
        await #expect(throws: IdentityGraphError.unmergeBlocked(first.id, dependency: second.id)) {
            try await store.unmerge(first.id, moving: [], context: admin())
        }
        #expect(try await Snapshot(store, customers: [a.id, b.id, c.id]) == before)

        _ = try await store.unmerge(second.id, moving: [], context: admin())
        #expect(try await store.customerStatus(a.id) == .merged(into: b.id, merge: first.id))
        #expect(Set(try #require(try await store.customer(b.id)).links.map(\.identifier)) == [email("a@example.com"), email("b@example.com")])
        _ = try await store.unmerge(first.id, moving: [], context: admin())
        for (customer, value) in [(a, "a@example.com"), (b, "b@example.com"), (c, "c@example.com")] {
            #expect(try await store.customer(customer.id)?.links.map(\.identifier) == [email(value)])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func refusedMergesChangeNothing(backend: StoreBackend) async throws {
        let store = try backend.make()
        let (survivor, duplicate) = try await twoCustomers(store)
        let other = try await store.createCustomer(newCustomer(card("plussa", "6012000000000009")), context: context("pos"))
        let gone = try await store.createCustomer(newCustomer(email("gone@example.com")), context: context())
        let unknown = CustomerID.random()
        _ = try await store.erase(gone.id, context: admin("erasure request"))
        let ids = [survivor.id, duplicate.id, other.id, gone.id]
        let before = try await Snapshot(store, customers: ids)

        await #expect(throws: IdentityGraphError.sameCustomer(survivor.id)) {
            try await store.merge(survivor: survivor.id, duplicate: survivor.id, context: admin())
        }
        await #expect(throws: IdentityGraphError.customerNotFound(unknown)) {
            try await store.merge(survivor: survivor.id, duplicate: unknown, context: admin())
        }
        await #expect(throws: IdentityGraphError.customerErased(gone.id)) {
            try await store.merge(survivor: gone.id, duplicate: survivor.id, context: admin())
        }
        // One loyalty card per program: the survivor would hold two.
        await #expect(throws: IdentityGraphError.limitExceeded(kind: .loyaltyCard, namespace: "plussa", limit: 1)) {
            try await store.merge(survivor: other.id, duplicate: duplicate.id, context: admin())
        }
        await #expect(throws: IdentityGraphError.limitExceeded(kind: .loyaltyCard, namespace: "plussa", limit: 1)) {
            try await store.planMerge(survivor: other.id, duplicate: duplicate.id)
        }
        #expect(try await Snapshot(store, customers: ids) == before)

        let merge = try await store.merge(survivor: survivor.id, duplicate: duplicate.id, context: admin())
        await #expect(throws: IdentityGraphError.customerMerged(duplicate.id, into: survivor.id)) {
            try await store.merge(survivor: duplicate.id, duplicate: other.id, context: admin())
        }
        #expect(try await store.merges(involving: survivor.id) == [merge])
    }

    @Test(arguments: StoreBackend.allCases)
    func aDryRunShowsTheMergeWithoutMakingIt(backend: StoreBackend) async throws {
        let store = try backend.make()
        let (survivor, duplicate) = try await twoCustomers(store)
        let before = try await Snapshot(store, customers: [survivor.id, duplicate.id])
        let plan = try await store.planMerge(survivor: survivor.id, duplicate: duplicate.id)
        #expect(try await Snapshot(store, customers: [survivor.id, duplicate.id]) == before)

        _ = try await store.merge(survivor: survivor.id, duplicate: duplicate.id, context: admin())
        let merged = try #require(try await store.customer(survivor.id))
        #expect(Set(plan.resultingLinks.map(\.identifier)) == Set(merged.links.map(\.identifier)))
        #expect(plan.resultingProfile == merged.profile)
        #expect(plan.snapshot.filledFields == ["family_name", "birthdate"])
    }

    @Test(arguments: StoreBackend.allCases)
    func concurrentMergesNeverLoseALinkOrFormACycle(backend: StoreBackend) async throws {
        let store = try backend.make()
        var ids: [CustomerID] = []
        for index in 0..<12 {
            ids.append(try await store.createCustomer(newCustomer(email("c\(index)@example.com"), phone("+35840100\(1000 + index)")), context: context()).id)
        }
        let pairs = (0..<40).map { index in (ids[index % 12], ids[(index * 7 + 3) % 12]) }
        await withTaskGroup(of: Void.self) { group in
            for (survivor, duplicate) in pairs {
                group.addTask {
                    _ = try? await store.merge(survivor: survivor, duplicate: duplicate, context: admin())
                    _ = try? await store.merge(survivor: duplicate, duplicate: survivor, context: admin())
                }
            }
        }
        var links = 0
        var live = 0
        for id in ids {
            switch try await store.customerStatus(id) {
            case .active:
                live += 1
                links += try #require(try await store.customer(id)).links.count
            case let .merged(into, _):
                // Chains are collapsed: the survivor is live, so no cycle can form.
                #expect(try await store.customerStatus(into) == .active)
            default:
                Issue.record("unexpected status for \(id)")
            }
        }
        #expect(links == 24)
        #expect(live >= 1)
        #expect(try await store.statistics() == StoreStatistics(customers: live, links: 24, logEntries: try await store.statistics().logEntries))
        for index in 0..<12 {
            #expect(try await store.resolve(email("c\(index)@example.com")) != nil)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func moveGivesAnIdentifierToAnotherCustomerWithHistory(backend: StoreBackend) async throws {
        let store = try backend.make()
        let old = try await store.createCustomer(newCustomer(phone("+358401234567"), email("old@example.com")), context: context())
        let new = try await store.createCustomer(newCustomer(email("new@example.com")), context: context())

        let outcome = try await store.move(phone("+358401234567"), to: new.id, assurance: .asserted, context: admin("recycled number"))
        #expect(outcome.previousOwner == old.id && outcome.link.customerID == new.id && outcome.link.provenance.channel == "admin-cli")
        #expect(try await store.resolve(phone("+358401234567"))?.customerID == new.id)
        let entry = try #require(try await store.linkLog(customer: old.id, after: nil, limit: 100).last)
        #expect(entry.record.action == .moved && entry.record.customerID == new.id && entry.record.relatedCustomerID == old.id)
        // Each holder's entries hash the value under their own key; the search finds both.
        let history = try await store.searchLinkLog(LinkLogQuery(identifier: phone("+358401234567")), after: nil, limit: 10)
        #expect(history.map(\.entry.record.action) == [.linked, .moved])
        #expect(history.map(\.entry.record.customerID) == [old.id, new.id])
        #expect(history.allSatisfy { $0.detail == LinkLogDetail(value: "+358401234567") })
        #expect(history[0].entry.record.valueHash != history[1].entry.record.valueHash)

        let before = try await Snapshot(store, customers: [old.id, new.id])
        await #expect(throws: IdentityGraphError.sameCustomer(new.id)) {
            try await store.move(phone("+358401234567"), to: new.id, assurance: .asserted, context: admin())
        }
        await #expect(throws: IdentityGraphError.linkNotFound(kind: .phone, namespace: nil)) {
            try await store.move(phone("+358409999999"), to: new.id, assurance: .asserted, context: admin())
        }
        #expect(try await Snapshot(store, customers: [old.id, new.id]) == before)
    }

    @Test(arguments: StoreBackend.allCases)
    func eraseLeavesATombstoneAndALogWithoutValues(backend: StoreBackend) async throws {
        let store = try backend.make()
        let (survivor, duplicate) = try await twoCustomers(store)
        let other = try await store.createCustomer(newCustomer(email("other@example.com")), context: context())
        // A refused link records the pair as a duplicate candidate.
        await #expect(throws: IdentityGraphError.self) {
            try await store.link(email("anna@example.com"), to: other.id, assurance: .asserted, context: context())
        }
        let merge = try await store.merge(survivor: survivor.id, duplicate: duplicate.id, context: admin())

        let erased = try await store.erase(survivor.id, context: admin("GDPR art. 17 request"))
        #expect(Set(erased.erasedIdentifiers) == Set((survivor.links + duplicate.links).map(\.identifier)))
        #expect(erased.mergedIDs == [duplicate.id])

        for id in [survivor.id, duplicate.id] {
            #expect(try await store.customer(id) == nil)
            guard case .erased = try await store.customerStatus(id) else { Issue.record("not erased: \(id)"); continue }
        }
        for link in survivor.links + duplicate.links {
            #expect(try await store.resolve(link.identifier) == nil)
        }
        let record = try #require(try await store.mergeRecord(merge.id))
        #expect(record.state == .erased && record.snapshot == nil)
        #expect(try await store.duplicateCandidates(limit: 10).isEmpty)

        let log = try await store.linkLog(customer: nil, after: nil, limit: 1_000)
        #expect(log.suffix(2).map(\.record.action) == [.erased, .erased])
        let values = (survivor.links + duplicate.links).map(\.identifier.value)
        for entry in log {
            let text = String(decoding: try JSONEncoder().encode(entry), as: UTF8.self)
            #expect(!values.contains { text.contains($0) })
        }
        // Their keys and readable detail are gone: no search by value finds them, and their
        // entries have no detail any more.
        for link in survivor.links + duplicate.links {
            #expect(try await store.searchLinkLog(LinkLogQuery(identifier: link.identifier), after: nil, limit: 10).isEmpty)
        }
        for id in [survivor.id, duplicate.id] {
            let reviewed = try await store.searchLinkLog(LinkLogQuery(customer: id), after: nil, limit: 100)
            #expect(!reviewed.isEmpty && reviewed.allSatisfy { $0.detail == nil })
        }
        #expect(try await store.searchLinkLog(LinkLogQuery(customer: other.id), after: nil, limit: 10).contains { $0.detail?.value == "other@example.com" })
        await #expect(throws: IdentityGraphError.customerErased(survivor.id)) {
            try await store.link(email("anna@example.com"), to: survivor.id, assurance: .asserted, context: context())
        }
        await #expect(throws: IdentityGraphError.customerErased(survivor.id)) {
            try await store.erase(survivor.id, context: admin())
        }
        await #expect(throws: IdentityGraphError.mergeErased(merge.id)) {
            try await store.unmerge(merge.id, moving: [], context: admin())
        }
        // The erased identifiers are free again: a new customer can claim them.
        _ = try await store.createCustomer(newCustomer(email("anna@example.com")), context: context())
    }

    @Test(arguments: StoreBackend.allCases)
    func customersPagesOverLiveCustomersInIDOrder(backend: StoreBackend) async throws {
        let store = try backend.make()
        var ids: [CustomerID] = []
        for index in 0..<7 {
            ids.append(try await store.createCustomer(newCustomer(email("p\(index)@example.com"), phone("+35840200\(1000 + index)")), context: context()).id)
        }
        _ = try await store.merge(survivor: ids[0], duplicate: ids[1], context: admin())
        _ = try await store.erase(ids[2], context: admin())
        var seen: [Customer] = []
        var after: CustomerID?
        while true {
            let page = try await store.customers(after: after, limit: 2)
            guard let last = page.last else { break }
            seen += page
            after = last.id
        }
        let live = Set(ids).subtracting([ids[1], ids[2]])
        #expect(seen.map(\.id) == live.sorted())
        #expect(seen.first { $0.id == ids[0] }?.links.count == 4)
        #expect(seen.allSatisfy { customer in customer.links.allSatisfy { $0.customerID == customer.id } })
    }
}
