import Foundation
import Identifiers
import IdentityGraph

func email(_ value: String) -> Identifier { Identifier(trustedKind: .email, namespace: nil, value: value) }
func phone(_ value: String) -> Identifier { Identifier(trustedKind: .phone, namespace: nil, value: value) }
func card(_ program: String, _ value: String) -> Identifier { Identifier(trustedKind: .loyaltyCard, namespace: program, value: value) }
func receipt(_ store: String, _ value: String) -> Identifier { Identifier(trustedKind: .receipt, namespace: store, value: value) }

let fixedTime = Date(timeIntervalSince1970: 1_790_000_000)

func context(_ actor: String = "webshop", reason: String? = nil) -> ChangeContext {
    ChangeContext(actor: actor, reason: reason, time: fixedTime)
}

func newCustomer(_ identifiers: Identifier..., assurance: Assurance = .asserted, profile: Profile = Profile()) -> NewCustomer {
    NewCustomer(identifiers: identifiers.map { .init(identifier: $0, assurance: assurance) }, profile: profile)
}

/// Everything observable about a store, to assert that a refused change left it as it was.
struct Snapshot: Equatable {
    var statistics: StoreStatistics
    var log: [LinkLogEntry]
    var customers: [Customer]

    init(_ store: any IdentityStore, customers ids: [CustomerID]) async throws {
        statistics = try await store.statistics()
        log = try await store.linkLog(customer: nil, after: nil, limit: 10_000)
        var customers: [Customer] = []
        for id in ids {
            if let customer = try await store.customer(id) { customers.append(customer) }
        }
        self.customers = customers
    }
}
