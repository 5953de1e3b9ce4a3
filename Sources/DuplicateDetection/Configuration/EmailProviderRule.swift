/// How one mail provider treats local parts, for loose e-mail matching.
///
/// Sub-addressing (`anna+shop@…`) is handled for every domain through
/// ``MatchConfiguration/subaddressSeparators``; a provider rule adds domain aliases and dot rules.
public struct EmailProviderRule: Sendable, Equatable {
    /// The provider's domains, lowercase; the first is the canonical one. Addresses at any of them
    /// are compared as if at the first.
    public var domains: [String]
    /// Whether the provider ignores dots in the local part (`a.n.n.a` = `anna`).
    public var ignoresDots: Bool

    /// Creates a provider rule.
    /// - Parameters:
    ///   - domains: The domains, canonical first, e.g. `["gmail.com", "googlemail.com"]`.
    ///   - ignoresDots: Whether dots in the local part are ignored.
    public init(domains: [String], ignoresDots: Bool) {
        self.domains = domains
        self.ignoresDots = ignoresDots
    }

    /// Gmail: googlemail.com is an alias of gmail.com, and dots in the local part are ignored.
    public static let gmail = EmailProviderRule(domains: ["gmail.com", "googlemail.com"], ignoresDots: true)
}
