/// The shape of a public handle (user name) on a social network.
public struct HandleRule: Sendable, Equatable {
    /// The fewest characters, after normalization.
    public var minLength: Int
    /// The most characters, after normalization.
    public var maxLength: Int
    /// Every allowed character listed literally, after case folding,
    /// e.g. `abcdefghijklmnopqrstuvwxyz0123456789._`.
    public var allowedCharacters: String
    /// Whether case is significant; when `false` handles are lowercased.
    public var caseSensitive: Bool
    /// Whether one leading `@` is removed (`@name` → `name`).
    public var stripLeadingAt: Bool
    /// Characters that may not start or end a handle, e.g. `.`.
    public var noLeadingOrTrailing: String

    /// Creates a handle rule.
    /// - Parameters:
    ///   - minLength: The fewest characters.
    ///   - maxLength: The most characters.
    ///   - allowedCharacters: Every allowed character, after case folding.
    ///   - caseSensitive: Whether case is kept.
    ///   - stripLeadingAt: Whether one leading `@` is removed.
    ///   - noLeadingOrTrailing: Characters that may not start or end a handle.
    public init(
        minLength: Int,
        maxLength: Int,
        allowedCharacters: String,
        caseSensitive: Bool = false,
        stripLeadingAt: Bool = true,
        noLeadingOrTrailing: String = ""
    ) {
        self.minLength = minLength
        self.maxLength = maxLength
        self.allowedCharacters = allowedCharacters
        self.caseSensitive = caseSensitive
        self.stripLeadingAt = stripLeadingAt
        self.noLeadingOrTrailing = noLeadingOrTrailing
    }
}
