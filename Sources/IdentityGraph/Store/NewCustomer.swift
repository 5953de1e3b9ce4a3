public import Identifiers

/// A customer to create with its first identifiers, all or nothing.
public struct NewCustomer: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public var identifier: Identifier
        public var assurance: Assurance
        public init(identifier: Identifier, assurance: Assurance) {
            self.identifier = identifier
            self.assurance = assurance
        }
    }

    public var id: CustomerID
    public var identifiers: [Item]
    public var profile: Profile

    public init(id: CustomerID = .random(), identifiers: [Item], profile: Profile = Profile()) {
        self.id = id
        self.identifiers = identifiers
        self.profile = profile
    }
}
