public import Identifiers
public import IdentityGraph

/// A channel: one of the retailer's customer touch points, registered as an OAuth client.
public struct Channel: Sendable, Equatable, Identifiable {
    /// How the channel authenticates at the token endpoint.
    public enum ClientType: Sendable, Equatable {
        /// Holds a secret; only its scrypt hash is in policy.
        case confidential(SecretHash)
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
        if case .confidential = clientType { return true }
        return false
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
