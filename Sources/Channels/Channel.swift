public import Identifiers
public import IdentityGraph

/// A channel: one of the retailer's customer touch points, registered as an OAuth client.
public struct Channel: Sendable, Equatable, Identifiable {
    /// How the channel authenticates at the token endpoint.
    public enum ClientType: Sendable, Equatable {
        /// Holds a secret; only its scrypt hash is in policy. It may also have ``Channel/publicKeysJSON``
        /// and then authenticates with either.
        case confidential(SecretHash)
        /// Confidential, with no secret: authenticates only with a client assertion signed by one of
        /// its keys in ``Channel/publicKeysJSON`` (`private_key_jwt`, RFC 7523 §2.2).
        case privateKeyJWT
        /// Cannot keep a secret (a mobile app, a single-page app).
        case `public`
    }

    /// The OAuth `client_id`.
    public var id: String
    /// A human-readable name for consent pages and logs.
    public var name: String
    public var clientType: ClientType
    public var grantTypes: Set<GrantType>
    /// The scopes the channel may be granted.
    public var scopes: Set<String>
    /// The identifier kinds the channel may link, each with the highest assurance it may claim.
    public var linkAssurance: [IdentifierKind: Assurance]
    /// The identifier kinds the channel may see in resolve and read responses.
    public var visibleKinds: Set<IdentifierKind>
    /// Registered redirect URIs, matched exactly.
    public var redirectURIs: [String]
    /// Lifetime of access tokens issued to the channel.
    public var accessTokenLifetime: Duration
    /// Lifetime of a refresh-token family without `offline_access`; it also ends with the session.
    public var refreshTokenLifetime: Duration = .seconds(8 * 3_600)
    /// Lifetime of a refresh-token family granted with `offline_access`; it outlives the session.
    public var offlineTokenLifetime: Duration = .seconds(30 * 86_400)
    /// The algorithm of ID tokens for this channel: `ES256` (default) or `EdDSA`.
    public var idTokenSigningAlgorithm = "ES256"
    /// Where Solmu POSTs a logout token when a session that gave this channel tokens ends.
    public var backchannelLogoutURI: String?
    /// Registered `post_logout_redirect_uri` values, matched exactly.
    public var postLogoutRedirectURIs: [String] = []
    /// Whether every token request of the channel must carry a DPoP proof (RFC 9449) with a
    /// server nonce, so that its tokens are bound to a key the channel holds.
    public var requiresDPoP = false
    /// What the channel may obtain by token exchange (RFC 8693); nothing when empty.
    public var tokenExchange: [TokenExchangeRule] = []
    /// The channel's public keys for `private_key_jwt`, as a JWKS document `{"keys":[…]}` (RFC 7517
    /// §5), EC P-256 or Ed25519 keys each with `kid`, `alg` and `use`; `nil` when it has none. Decode
    /// it with `JSONDecoder` into `Tokens.JSONWebKeySet` (Channels does not depend on Tokens).
    public var publicKeysJSON: String? = nil

    public init(
        id: String, name: String, clientType: ClientType, grantTypes: Set<GrantType>, scopes: Set<String>,
        linkAssurance: [IdentifierKind: Assurance], visibleKinds: Set<IdentifierKind>, redirectURIs: [String],
        accessTokenLifetime: Duration
    ) {
        self.id = id
        self.name = name
        self.clientType = clientType
        self.grantTypes = grantTypes
        self.scopes = scopes
        self.linkAssurance = linkAssurance
        self.visibleKinds = visibleKinds
        self.redirectURIs = redirectURIs
        self.accessTokenLifetime = accessTokenLifetime
    }

    public var isConfidential: Bool {
        switch clientType {
        case .confidential, .privateKeyJWT: true
        case .public: false
        }
    }

    /// Whether the channel may link `kind` at `assurance`.
    public func mayLink(_ kind: IdentifierKind, at assurance: Assurance) -> Bool {
        guard let highest = linkAssurance[kind] else { return false }
        return assurance <= highest
    }

    /// The links of a customer this channel may see.
    public func visible(_ links: [Link]) -> [Link] {
        links.filter { visibleKinds.contains($0.identifier.kind) }
    }
}
