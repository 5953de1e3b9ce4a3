/// The scopes of the Solmu API. Channels are granted a subset in policy.
public enum SolmuScope {
    /// Resolve an identifier to a customer.
    public static let resolve = "identity:resolve"
    /// Create customers, link and unlink identifiers.
    public static let link = "identity:link"
    /// Read a customer with their links, and the link log.
    public static let read = "identity:read"

    /// The admin API: find duplicates, merge, unmerge, move, erase and export customers.
    public static let admin = "admin"

    /// The verifiable link log: checkpoints, entries and proofs (auditors).
    public static let auditRead = "audit:read"

    /// Every scope a channel may be granted today.
    public static let all: Set<String> = [resolve, link, read, admin, auditRead]
}
