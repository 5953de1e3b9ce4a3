public import Identifiers

/// Why the identity graph refused a change. Descriptions never contain identifier values.
public enum IdentityGraphError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The identifier already belongs to another customer; linking it would join two customers.
    case conflict(kind: IdentifierKind, namespace: String?, owner: CustomerID, requested: CustomerID?)
    /// The customer would have more identifiers of this kind than policy allows.
    case limitExceeded(kind: IdentifierKind, namespace: String?, limit: Int)
    /// Policy forbids linking this value.
    case blocked(kind: IdentifierKind, namespace: String?)
    /// Two identifiers in one request are the same after normalization.
    case duplicateInRequest(firstIndex: Int, secondIndex: Int)
    case customerNotFound(CustomerID)
    /// The identifier is not linked (to that customer).
    case linkNotFound(kind: IdentifierKind, namespace: String?)
    /// The customer was erased; its id is a tombstone.
    case customerErased(CustomerID)
    /// The customer was merged into another; admin changes name the survivor instead.
    case customerMerged(CustomerID, into: CustomerID)
    /// A merge of a customer with itself.
    case sameCustomer(CustomerID)
    case mergeNotFound(MergeID)
    /// The merge was undone already.
    case mergeUndone(MergeID)
    /// A customer of the merge was erased, and with them what an unmerge would restore.
    case mergeErased(MergeID)
    /// A later merge that is still in effect builds on this one; undo it first.
    case unmergeBlocked(MergeID, dependency: MergeID)
    /// A log position or size beyond the log (or out of order).
    case logRange(String)
    /// The store failed; the detail is for the operator's log, never for a client.
    case storage(String)

    public var description: String {
        switch self {
        case let .conflict(kind, namespace, owner, requested):
            let target = requested.map { " to \($0)" } ?? ""
            return "the \(Self.name(kind, namespace)) already belongs to \(owner); linking it\(target) would join two customers"
        case let .limitExceeded(kind, namespace, limit):
            if let namespace {
                return "a customer may have at most \(limit) \(kind.rawValue) identifier(s) in namespace '\(namespace)'"
            }
            return "a customer may have at most \(limit) \(kind.rawValue) identifier(s)"
        case let .blocked(kind, namespace):
            return "policy blocks this \(Self.name(kind, namespace)) from being linked"
        case let .duplicateInRequest(first, second):
            return "identifiers \(first) and \(second) are the same after normalization"
        case let .customerNotFound(id):
            return "no customer \(id)"
        case let .linkNotFound(kind, namespace):
            return "the \(Self.name(kind, namespace)) is not linked to that customer"
        case let .customerErased(id):
            return "customer \(id) was erased"
        case let .customerMerged(id, survivor):
            return "customer \(id) was merged into \(survivor); use \(survivor)"
        case let .sameCustomer(id):
            return "customer \(id) is named twice; a customer cannot be merged with or moved to itself"
        case let .mergeNotFound(id):
            return "no merge \(id)"
        case let .mergeUndone(id):
            return "merge \(id) was undone already"
        case let .mergeErased(id):
            return "merge \(id) cannot be undone: one of its customers was erased"
        case let .unmergeBlocked(id, dependency):
            return "merge \(id) cannot be undone while the later merge \(dependency) builds on it; undo \(dependency) first"
        case let .logRange(detail):
            return detail
        case .storage:
            return "the identity store failed"
        }
    }

    private static func name(_ kind: IdentifierKind, _ namespace: String?) -> String {
        namespace.map { "\(kind.rawValue) identifier in '\($0)'" } ?? "\(kind.rawValue) identifier"
    }
}
