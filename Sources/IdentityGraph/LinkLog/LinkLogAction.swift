/// What a link-log entry records.
public enum LinkLogAction: String, Sendable, Codable, CaseIterable {
    /// A customer came into being (its identifiers follow as `linked` entries).
    case customerCreated = "customer_created"
    /// An identifier was linked to a customer.
    case linked
    /// An existing link was confirmed at a higher assurance.
    case assuranceRaised = "assurance_raised"
    /// An identifier was unlinked from a customer.
    case unlinked
    /// An identifier changed owner (a recycled phone number): the entry names the new owner, and
    /// the previous one as the related customer.
    case moved
    /// An admin merged the related customer (the duplicate) into this one (the survivor).
    case merged
    /// An admin undid a merge: the related customer (the duplicate) stands on its own again.
    case unmerged
    /// An admin erased the customer on request: links and profile are gone, the id is a tombstone.
    case erased
    /// A channel obtained a token for the customer by token exchange (RFC 8693); nothing in the
    /// graph changed. The reason names the audience, the scopes and the actor.
    case tokenExchanged = "token_exchanged"
}
