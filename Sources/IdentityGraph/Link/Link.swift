public import Identifiers

/// One identifier tied to one customer, with its provenance.
public struct Link: Sendable, Codable, Equatable {
    public var identifier: Identifier
    public var customerID: CustomerID
    public var provenance: Provenance

    public init(identifier: Identifier, customerID: CustomerID, provenance: Provenance) {
        self.identifier = identifier
        self.customerID = customerID
        self.provenance = provenance
    }

    enum CodingKeys: String, CodingKey {
        case identifier
        case customerID = "customer_id"
        case provenance
    }
}
