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
        case .storage:
            return "the identity store failed"
        }
    }

    private static func name(_ kind: IdentifierKind, _ namespace: String?) -> String {
        namespace.map { "\(kind.rawValue) identifier in '\($0)'" } ?? "\(kind.rawValue) identifier"
    }
}
