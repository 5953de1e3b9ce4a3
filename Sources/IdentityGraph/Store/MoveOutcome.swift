/// What moving an identifier to another customer did.
public struct MoveOutcome: Sendable, Equatable {
    /// The new link.
    public var link: Link
    /// The customer who held the identifier before.
    public var previousOwner: CustomerID

    public init(link: Link, previousOwner: CustomerID) {
        self.link = link
        self.previousOwner = previousOwner
    }
}
