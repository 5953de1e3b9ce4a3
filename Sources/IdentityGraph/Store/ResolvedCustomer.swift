/// The customer an identifier resolves to, with their links.
public struct ResolvedCustomer: Sendable, Equatable {
    public var customerID: CustomerID
    public var links: [Link]

    public init(customerID: CustomerID, links: [Link]) {
        self.customerID = customerID
        self.links = links
    }
}
