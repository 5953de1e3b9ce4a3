public import Identifiers

/// What a channel may obtain by RFC 8693 token exchange. A channel without rules may exchange
/// nothing: every exchange is denied unless a rule allows it.
public struct TokenExchangeRule: Sendable, Equatable {
    /// The kinds of subject token the rule accepts.
    public enum SubjectKind: String, Sendable, CaseIterable, Hashable {
        /// A Solmu access token of a customer (`urn:ietf:params:oauth:token-type:access_token`).
        case accessToken = "access_token"
        /// An identifier the channel saw, such as a loyalty card (`urn:solmu:params:oauth:token-type:identifier`).
        case identifier
    }

    /// The audience of the issued token: a channel's client id.
    public var audience: String
    public var subjectKinds: Set<SubjectKind>
    /// Access-token subjects must have been issued to one of these channels; empty means the
    /// requesting channel itself.
    public var subjectClients: Set<String>
    /// Identifier subjects must be of one of these kinds.
    public var identifierKinds: Set<IdentifierKind>
    /// Whether an actor token is required (delegation) — and then from which channels.
    public var actorRequired: Bool
    public var actorClients: Set<String>
    /// The most the issued token may carry.
    public var scopes: Set<String>
    public var maxLifetime: Duration

    public init(
        audience: String, subjectKinds: Set<SubjectKind>, subjectClients: Set<String> = [], identifierKinds: Set<IdentifierKind> = [],
        actorRequired: Bool = false, actorClients: Set<String> = [], scopes: Set<String>, maxLifetime: Duration
    ) {
        self.audience = audience
        self.subjectKinds = subjectKinds
        self.subjectClients = subjectClients
        self.identifierKinds = identifierKinds
        self.actorRequired = actorRequired
        self.actorClients = actorClients
        self.scopes = scopes
        self.maxLifetime = maxLifetime
    }
}
