/// What a link request did.
public enum LinkOutcome: Sendable, Equatable {
    /// A new link.
    case linked(Link)
    /// The link existed; its assurance was raised.
    case assuranceRaised(Link)
    /// The link existed at this assurance or higher; nothing changed and nothing was logged.
    case unchanged(Link)

    public var link: Link {
        switch self {
        case let .linked(link), let .assuranceRaised(link), let .unchanged(link): link
        }
    }
}
