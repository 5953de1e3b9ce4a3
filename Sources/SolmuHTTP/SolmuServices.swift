public import Channels
public import Identifiers
public import IdentityGraph
public import Logging
public import Tokens
import Foundation
import Hummingbird
import HTTPTypes
import CoreMetrics
import NIOCore
import NIOFoundationEssentialsCompat

/// Everything the HTTP surface calls: the store, the policies, the token machinery.
public struct SolmuServices: Sendable {
    public var store: any IdentityStore
    public var normalizer: IdentifierNormalizer
    public var clients: ClientAuthenticator
    public var signer: TokenSigner
    public var verifier: AccessTokenVerifier
    public var keys: SigningKeySet
    /// The issuer URL, `iss` of every token.
    public var issuer: String
    /// The audience (RFC 8707 resource) of the Solmu API: `<issuer>/v1`.
    public var apiAudience: String
    public var logger: Logger
    public var metrics: SolmuMetrics

    public init(
        store: any IdentityStore, normalizer: IdentifierNormalizer, clients: ClientAuthenticator,
        keys: SigningKeySet, issuer: String, logger: Logger, metrics: SolmuMetrics = SolmuMetrics()
    ) {
        self.store = store
        self.normalizer = normalizer
        self.clients = clients
        self.keys = keys
        self.issuer = issuer
        self.apiAudience = Self.apiAudience(issuer: issuer)
        self.signer = TokenSigner(keys: keys, issuer: issuer)
        self.verifier = AccessTokenVerifier(keys: keys, issuer: issuer, audience: apiAudience)
        self.logger = logger
        self.metrics = metrics
    }

    public static func apiAudience(issuer: String) -> String {
        (issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer) + "/v1"
    }
}
