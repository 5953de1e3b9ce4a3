/// How strongly a link between an identifier and a customer is established.
///
/// Ordered: `inferred` < `asserted` < `verified`. A link is only ever raised, never silently lowered.
public enum Assurance: String, Sendable, Codable, CaseIterable, Comparable {
    /// Derived from a receipt or a matching rule; nobody confirmed it.
    case inferred
    /// Typed in by the customer or by an agent, but not proven.
    case asserted
    /// Proven by a one-time code or a login.
    case verified

    private var rank: Int {
        switch self {
        case .inferred: 0
        case .asserted: 1
        case .verified: 2
        }
    }

    public static func < (lhs: Assurance, rhs: Assurance) -> Bool { lhs.rank < rhs.rank }
}
