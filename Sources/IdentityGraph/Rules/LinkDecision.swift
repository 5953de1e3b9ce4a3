public import Identifiers

/// What linking an identifier to a customer should do, decided from what the store holds now.
///
/// Pure: every backend reads the current owner and the customer's links inside its transaction,
/// asks this, and applies the answer, so the rules are the same everywhere.
public enum LinkDecision: Sendable, Equatable {
    /// Insert a new link.
    case insert
    /// Raise the existing link's assurance.
    case raise(from: Assurance)
    /// Nothing to do: the link exists at this assurance or higher.
    case keep(Link)

    /// - Parameters:
    ///   - existing: the identifier's current link, whoever owns it.
    ///   - customerIdentifiers: the target customer's current identifiers.
    /// - Throws: `.blocked`, `.conflict`, `.limitExceeded`.
    public static func decide(
        linking identifier: Identifier, to customer: CustomerID, at assurance: Assurance,
        existing: Link?, customerIdentifiers: some Sequence<Identifier>, rules: GraphRules
    ) throws(IdentityGraphError) -> LinkDecision {
        try rules.checkNotBlocked(identifier)
        if let existing {
            guard existing.customerID == customer else {
                throw .conflict(kind: identifier.kind, namespace: identifier.namespace, owner: existing.customerID, requested: customer)
            }
            return existing.provenance.assurance < assurance ? .raise(from: existing.provenance.assurance) : .keep(existing)
        }
        try rules.checkLimit(adding: identifier, to: customerIdentifiers)
        return .insert
    }
}
