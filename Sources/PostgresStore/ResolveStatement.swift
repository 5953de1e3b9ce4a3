import Identifiers
import IdentityGraph
import PostgresNIO
import Foundation

/// The resolve query as a prepared statement: each connection prepares it once, so the hottest
/// read of the service is not parsed and planned again per request (planning alone cost more
/// than the lookup).
struct ResolveStatement: PostgresPreparedStatement {
    static let sql = """
        SELECT l.kind, l.namespace, l.value, l.customer_id, l.channel, l.assurance, l.linked_at
        FROM links AS owner JOIN links AS l ON l.customer_id = owner.customer_id
        WHERE owner.kind = $1 AND owner.namespace = $2 AND owner.value = $3
        ORDER BY l.kind, l.namespace, l.value
        """
    typealias Row = (String, String, String, String, String, String, Int64)

    var kind: String
    var namespace: String
    var value: String

    init(_ identifier: Identifier) {
        kind = identifier.kind.rawValue
        namespace = identifier.namespace ?? ""
        value = identifier.value
    }

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(kind)
        bindings.append(namespace)
        bindings.append(value)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }

    /// The row as a link.
    static func link(_ row: Row) throws -> Link {
        guard let kind = IdentifierKind(rawValue: row.0), let customer = CustomerID(rawValue: row.3), let assurance = Assurance(rawValue: row.5) else {
            throw IdentityGraphError.storage("malformed row in links")
        }
        return Link(
            identifier: Identifier(trustedKind: kind, namespace: row.1.isEmpty ? nil : row.1, value: row.2), customerID: customer,
            provenance: Provenance(channel: row.4, assurance: assurance, linkedAt: Date(timeIntervalSince1970: Double(row.6) / 1000))
        )
    }
}
