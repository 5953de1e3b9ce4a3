/// The shape of a network's stable subject id (the `sub` of an OpenID provider, a numeric user id).
public struct SubjectRule: Sendable, Equatable {
    /// The fewest characters.
    public var minLength: Int
    /// The most characters.
    public var maxLength: Int
    /// Every allowed character listed literally; case is kept, so list both cases where needed.
    public var allowedCharacters: String

    /// Creates a subject rule.
    /// - Parameters:
    ///   - minLength: The fewest characters.
    ///   - maxLength: The most characters.
    ///   - allowedCharacters: Every allowed character, e.g. `0123456789` for Google.
    public init(minLength: Int = 1, maxLength: Int = 255, allowedCharacters: String) {
        self.minLength = minLength
        self.maxLength = maxLength
        self.allowedCharacters = allowedCharacters
    }
}
