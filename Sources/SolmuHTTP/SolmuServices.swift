public import Channels
public import CustomerLogin
import Crypto
public import Foundation
public import Identifiers
public import IdentityGraph
public import Logging
public import Tokens
public import Foundation
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
    /// Customer login, sessions and the OpenID Connect grants.
    public var login: LoginService
    /// Verifies customers' access tokens (audience: the issuer) at the userinfo endpoint.
    public var customerTokenVerifier: AccessTokenVerifier
    var pages: LoginPages
    var browser: BrowserSecurity

    /// - Throws: when the login page templates cannot be loaded.
    public init(
        store: any IdentityStore, loginStore: any LoginStore, normalizer: IdentifierNormalizer, clients: ClientAuthenticator,
        keys: SigningKeySet, issuer: String, logger: Logger, metrics: SolmuMetrics = SolmuMetrics(),
        loginSettings: LoginSettings = LoginSettings(), now: @escaping @Sendable () -> Date = Date.init
    ) throws {
        self.store = store
        self.normalizer = normalizer
        self.clients = clients
        self.keys = keys
        self.issuer = issuer
        self.apiAudience = Self.apiAudience(issuer: issuer)
        self.signer = TokenSigner(keys: keys, issuer: issuer, now: now)
        self.verifier = AccessTokenVerifier(keys: keys, issuer: issuer, audience: apiAudience, now: now)
        self.customerTokenVerifier = AccessTokenVerifier(keys: keys, issuer: issuer, audience: issuer, now: now)
        self.logger = logger
        self.metrics = metrics
        self.login = LoginService(
            identities: store, store: loginStore, normalizer: normalizer, channels: clients, signer: signer, issuer: issuer,
            secretKey: Self.derive(keys.linkLogKey, purpose: "solmu one-time codes"), settings: loginSettings, now: now
        )
        self.pages = try LoginPages()
        self.browser = BrowserSecurity(key: Self.derive(keys.linkLogKey, purpose: "solmu csrf"))
    }

    /// A key for one purpose, derived from the server secret (HKDF-SHA256), so that no two uses
    /// share a key.
    static func derive(_ secret: SymmetricKey, purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: secret, info: Data(purpose.utf8), outputByteCount: 32)
    }

    public static func apiAudience(issuer: String) -> String {
        (issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer) + "/v1"
    }
}
