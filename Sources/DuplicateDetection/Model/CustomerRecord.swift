public import Identifiers
public import IdentityGraph

/// What the detector knows of one customer: the id, the profile and the linked identifiers.
public struct CustomerRecord: Sendable, Equatable {
    /// The customer.
    public var id: CustomerID
    /// What the customer told about themselves; any field may be missing.
    public var profile: Profile
    /// The identifiers linked to the customer, normalized.
    public var identifiers: [Identifier]

    /// Creates a record.
    /// - Parameters:
    ///   - id: The customer.
    ///   - profile: The profile; any field may be missing.
    ///   - identifiers: The customer's identifiers, normalized.
    public init(id: CustomerID, profile: Profile, identifiers: [Identifier]) {
        self.id = id
        self.profile = profile
        self.identifiers = identifiers
    }

    /// The record of a customer with their linked identifiers.
    public init(_ customer: Customer) {
        self.init(id: customer.id, profile: customer.profile, identifiers: customer.links.map(\.identifier))
    }
}
