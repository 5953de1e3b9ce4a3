public import Foundation
public import Identifiers

/// What erasing a customer did.
public struct ErasureOutcome: Sendable, Equatable {
    public var customerID: CustomerID
    public var time: Date
    /// The identifiers that were linked, so that the caller can scrub what other stores hold
    /// about them (sessions, messages). Personal data: never log them.
    public var erasedIdentifiers: [Identifier]
    /// Customers merged into this one earlier: the same person, erased with them.
    public var mergedIDs: [CustomerID]

    public init(customerID: CustomerID, time: Date, erasedIdentifiers: [Identifier], mergedIDs: [CustomerID]) {
        self.customerID = customerID
        self.time = time
        self.erasedIdentifiers = erasedIdentifiers
        self.mergedIDs = mergedIDs
    }
}
