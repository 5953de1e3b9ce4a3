public import Identifiers

/// The rules every change to the identity graph obeys, from `policies/`.
///
/// An identifier belongs to at most one live customer (the store enforces that with a unique
/// index); these rules add per-kind limits and values that may never be linked.
public struct GraphRules: Sendable, Equatable {
    public var limits: [IdentifierKind: KindLimit]
    /// Values nobody may link: a store's shared phone, `test@example.com`.
    public var blocked: Set<Identifier>

    public init(limits: [IdentifierKind: KindLimit], blocked: Set<Identifier> = []) {
        self.limits = limits
        self.blocked = blocked
    }

    /// One loyalty card per program, five e-mails, five phones, three handles per network,
    /// unlimited receipts.
    public static let `default` = GraphRules(limits: [
        .email: KindLimit(total: 5),
        .phone: KindLimit(total: 5),
        .social: KindLimit(perNamespace: 3),
        .loyaltyCard: KindLimit(perNamespace: 1),
        .receipt: .unlimited,
    ])

    /// Refuses a blocked identifier.
    public func checkNotBlocked(_ identifier: Identifier) throws(IdentityGraphError) {
        if blocked.contains(identifier) {
            throw .blocked(kind: identifier.kind, namespace: identifier.namespace)
        }
    }

    /// Refuses adding `identifier` to a customer who already has `existing`.
    public func checkLimit(adding identifier: Identifier, to existing: some Sequence<Identifier>) throws(IdentityGraphError) {
        guard let limit = limits[identifier.kind], limit.total != nil || limit.perNamespace != nil else { return }
        var total = 0
        var inNamespace = 0
        for other in existing where other.kind == identifier.kind {
            total += 1
            if other.namespace == identifier.namespace { inNamespace += 1 }
        }
        if let max = limit.total, total >= max {
            throw .limitExceeded(kind: identifier.kind, namespace: nil, limit: max)
        }
        if let max = limit.perNamespace, inNamespace >= max {
            throw .limitExceeded(kind: identifier.kind, namespace: identifier.namespace, limit: max)
        }
    }

    /// Checks a whole new customer's identifiers: none blocked, none twice, limits kept.
    public func checkNewCustomer(_ identifiers: [Identifier]) throws(IdentityGraphError) {
        var seen: [Identifier: Int] = [:]
        for (index, identifier) in identifiers.enumerated() {
            if let first = seen[identifier] {
                throw .duplicateInRequest(firstIndex: first, secondIndex: index)
            }
            try checkNotBlocked(identifier)
            try checkLimit(adding: identifier, to: identifiers[..<index])
            seen[identifier] = index
        }
    }
}
