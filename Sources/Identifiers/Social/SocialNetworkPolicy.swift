/// How identifiers on one social network or identity provider look.
public struct SocialNetworkPolicy: Sendable, Equatable {
    /// The public handle rule; `nil` when the network has no public handles and every value is a
    /// subject id.
    public var handle: HandleRule?
    /// The network's stable subject id (values written `id:<subject>`).
    public var subject: SubjectRule

    /// Creates a network policy.
    /// - Parameters:
    ///   - handle: The handle rule, or `nil` if the network has no public handles.
    ///   - subject: The subject id rule.
    public init(handle: HandleRule?, subject: SubjectRule) {
        self.handle = handle
        self.subject = subject
    }

    /// The built-in networks: instagram, x, facebook, tiktok (handles and subject ids) and
    /// google, apple (subject ids only).
    public static let defaults: [String: SocialNetworkPolicy] = {
        let lowercase = "abcdefghijklmnopqrstuvwxyz"
        let digits = "0123456789"
        let anySubject = SubjectRule(minLength: 1, maxLength: 255, allowedCharacters: lowercase + lowercase.uppercased() + digits + "._-")
        return [
            "instagram": SocialNetworkPolicy(
                handle: HandleRule(minLength: 1, maxLength: 30, allowedCharacters: lowercase + digits + "._", noLeadingOrTrailing: "."),
                subject: anySubject
            ),
            "x": SocialNetworkPolicy(
                handle: HandleRule(minLength: 1, maxLength: 15, allowedCharacters: lowercase + digits + "_"),
                subject: anySubject
            ),
            "tiktok": SocialNetworkPolicy(
                handle: HandleRule(minLength: 2, maxLength: 24, allowedCharacters: lowercase + digits + "._"),
                subject: anySubject
            ),
            "facebook": SocialNetworkPolicy(
                handle: HandleRule(minLength: 5, maxLength: 50, allowedCharacters: lowercase + digits + "."),
                subject: anySubject
            ),
            "google": SocialNetworkPolicy(
                handle: nil,
                subject: SubjectRule(minLength: 1, maxLength: 255, allowedCharacters: digits)
            ),
            "apple": SocialNetworkPolicy(
                handle: nil,
                subject: SubjectRule(minLength: 1, maxLength: 255, allowedCharacters: lowercase + lowercase.uppercased() + digits + ".")
            ),
        ]
    }()
}
