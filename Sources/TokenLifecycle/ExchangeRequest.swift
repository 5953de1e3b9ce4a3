/// The parameters of an RFC 8693 token exchange request (§2.1).
public struct ExchangeRequest: Sendable, Equatable {
    public var subjectToken: String?
    public var subjectTokenType: String?
    public var actorToken: String?
    public var actorTokenType: String?
    public var audience: String?
    public var resource: String?
    public var scope: String?
    public var requestedTokenType: String?

    public init(
        subjectToken: String?, subjectTokenType: String?, actorToken: String?, actorTokenType: String?,
        audience: String?, resource: String?, scope: String?, requestedTokenType: String?
    ) {
        self.subjectToken = subjectToken
        self.subjectTokenType = subjectTokenType
        self.actorToken = actorToken
        self.actorTokenType = actorTokenType
        self.audience = audience
        self.resource = resource
        self.scope = scope
        self.requestedTokenType = requestedTokenType
    }
}

/// Token type URIs (RFC 8693 §3) and Solmu's own.
public enum TokenTypeURI {
    public static let accessToken = "urn:ietf:params:oauth:token-type:access_token"
    /// An identifier a channel saw, `KIND:[NAMESPACE:]VALUE`, e.g. `loyalty_card:plussa:6012345678901234`.
    public static let identifier = "urn:solmu:params:oauth:token-type:identifier"
}

/// The answer of a token exchange (RFC 8693 §2.2.1).
public struct ExchangedToken: Sendable, Equatable {
    public var accessToken: String
    public var issuedTokenType: String
    public var expiresIn: Int
    public var scope: [String]
    /// The issued token's claims (for logs and tests; never sent as such).
    public var subject: String
    public var audience: [String]
}
