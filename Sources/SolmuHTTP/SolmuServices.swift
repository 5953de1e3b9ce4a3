public import Channels
public import CustomerLogin
public import TokenLifecycle
public import Crypto
public import VerifiableLog
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
    /// The signing keys: the one store the signer, the verifiers and the JWKS read, so that a
    /// reload (``KeyReloadService``) reaches all of them at once.
    public var keyStore: SigningKeyStore
    /// The keys in use now.
    public var keys: SigningKeySet { keyStore.current }
    /// The issuer URL, `iss` of every token.
    public var issuer: String
    /// The audience (RFC 8707 resource) of the Solmu API: `<issuer>/v1`.
    public var apiAudience: String
    public var logger: Logger
    public var metrics: SolmuMetrics
    /// Customer login, sessions and the OpenID Connect grants.
    public var login: LoginService
    /// What the login side stores (sessions, refresh tokens, passwords), for erasure and export.
    public var loginStore: any LoginStore
    /// Duplicate scans started through the admin API.
    let duplicateScans: DuplicateScans
    /// Signed checkpoints of the verifiable link log.
    public var logCheckpoints: LogCheckpoints
    /// Verifies customers' access tokens (audience: the issuer) at the userinfo endpoint.
    public var customerTokenVerifier: AccessTokenVerifier
    /// Token exchange (RFC 8693).
    public var exchange: TokenExchange
    /// Introspection (RFC 7662) and revocation (RFC 7009).
    public var introspection: TokenIntrospection
    var pages: LoginPages
    var browser: BrowserSecurity
    var proofOfPossession: ProofOfPossession
    var resourceAuthentication: ResourceAuthentication
    /// The public keys of channels that authenticate with `private_key_jwt`, by client id.
    var channelKeys: [String: JSONWebKeySet]
    let clientAssertions: ClientAssertionVerifier

    /// - Parameters:
    ///   - keys: The keys loaded at start-up; the link-log key and the secrets derived from it
    ///     come from here.
    ///   - keyStore: The store of the same keys directory; by default a store around `keys` that
    ///     reloads from their directory when asked (by ``KeyReloadService``).
    /// - Throws: when the login page templates cannot be loaded.
    public init(
        store: any IdentityStore, loginStore: any LoginStore, normalizer: IdentifierNormalizer, clients: ClientAuthenticator,
        keys: SigningKeySet, keyStore: SigningKeyStore? = nil, logSigningKey: Curve25519.Signing.PrivateKey? = nil,
        issuer: String, logger: Logger, metrics: SolmuMetrics = SolmuMetrics(),
        loginSettings: LoginSettings = LoginSettings(), now: @escaping @Sendable () -> Date = Date.init
    ) throws {
        let keyStore = keyStore ?? SigningKeyStore(reloading: keys)
        self.store = store
        self.loginStore = loginStore
        self.duplicateScans = DuplicateScans(logger: logger)
        self.logCheckpoints = try LogCheckpoints(
            issuer: issuer, key: try logSigningKey ?? LogSigningKey.loadOrCreate(directory: keys.directory), store: store, now: now
        )
        self.normalizer = normalizer
        self.clients = clients
        self.keyStore = keyStore
        self.issuer = issuer
        self.apiAudience = Self.apiAudience(issuer: issuer)
        self.signer = TokenSigner(keyStore: keyStore, issuer: issuer, now: now)
        self.verifier = AccessTokenVerifier(keyStore: keyStore, issuer: issuer, audience: apiAudience, now: now)
        self.customerTokenVerifier = AccessTokenVerifier(keyStore: keyStore, issuer: issuer, audience: issuer, now: now)
        self.logger = logger
        self.metrics = metrics
        self.login = LoginService(
            identities: store, store: loginStore, normalizer: normalizer, channels: clients, signer: signer, issuer: issuer,
            secretKey: Self.derive(keys.linkLogKey, purpose: "solmu one-time codes"), settings: loginSettings, now: now
        )
        let inspector = AccessTokenInspector(keyStore: keyStore, issuer: issuer, now: now)
        self.exchange = TokenExchange(
            identities: store, logins: loginStore, normalizer: normalizer, signer: signer, inspector: inspector, now: now
        )
        self.introspection = TokenIntrospection(logins: loginStore, inspector: inspector, now: now)
        self.pages = try LoginPages()
        self.browser = BrowserSecurity(key: Self.derive(keys.linkLogKey, purpose: "solmu csrf"))
        self.proofOfPossession = ProofOfPossession(
            verifier: DPoPProofVerifier(nonceKey: Self.derive(keys.linkLogKey, purpose: "solmu dpop nonces"), now: now),
            logins: loginStore, baseURL: issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        )
        self.resourceAuthentication = ResourceAuthentication(proofOfPossession: proofOfPossession, revocations: RevocationCache(logins: loginStore))
        var channelKeys: [String: JSONWebKeySet] = [:]
        for channel in clients.channels {
            if let json = channel.publicKeysJSON, let set = try? JSONDecoder().decode(JSONWebKeySet.self, from: Data(json.utf8)) {
                channelKeys[channel.id] = set
            }
        }
        self.channelKeys = channelKeys
        self.clientAssertions = ClientAssertionVerifier(now: now)
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
