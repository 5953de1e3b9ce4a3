public import Foundation

/// Verifies access tokens issued by this server (RFC 9068 §4, RFC 8725), for resource servers
/// and the Solmu API.
///
/// Checks, in order: length ≤ 8 KiB (before anything else); three base64url parts; header `typ`
/// `at+jwt` (or `application/at+jwt`, case-insensitive); no `jku`, `x5u`, `jwk`, `x5c`, `crit`;
/// `alg` ES256 or EdDSA and equal to the algorithm of the key named by `kid`; `kid` one of ours;
/// the signature; `iss`; `aud` contains the expected audience; `exp` not passed, `iat` and `nbf`
/// (if present) not in the future, each with the leeway.
///
/// Verified tokens are cached by their exact text (bounded, oldest evicted first), so a client
/// reusing its token costs a hash lookup instead of a signature check. A cached token is still
/// checked against the current time and the expected audience on every call; a token that failed
/// is never cached. No actor: the cache is a mutex-protected dictionary.
///
/// Keys come from a ``SigningKeyStore``, read once per call: a key added by a reload verifies at
/// once. The cache survives reloads (a rotation leaves every earlier token valid until its `exp`),
/// but a cached token whose key has since been pruned is refused like an uncached one, so that
/// pruning a compromised key also ends tokens that were verified with it before.
public struct AccessTokenVerifier: Sendable {
    /// What the cache remembers for a verified token.
    struct Verified: Sendable {
        var payload: AccessTokenPayload
        var claims: AccessTokenClaims {
            get { payload.claims }
            set { payload.claims = newValue }
        }
        /// The `kid` that verified the token; it must still be a key of ours on a cache hit.
        var keyID: String = ""
    }

    let jws: JWSVerifier
    /// Where the keys come from.
    public var keyStore: SigningKeyStore { jws.keyStore }
    /// The expected `iss`.
    public let issuer: String
    /// The audience that must appear in `aud`.
    public let audience: String
    /// The clock skew tolerated for `exp`, `nbf` and `iat`.
    public let leeway: Duration
    let leewaySeconds: TimeInterval
    let now: @Sendable () -> Date
    let cache: VerifiedTokenCache<Verified>

    /// Creates a verifier with a fixed set of keys.
    /// - Parameters:
    ///   - keys: The keys; every key in the manifest verifies, each only with its own algorithm.
    ///   - issuer: The expected `iss`.
    ///   - audience: The audience that must appear in `aud`.
    ///   - leeway: Clock skew tolerated for `exp`, `nbf`, `iat`.
    ///   - cacheCapacity: How many verified tokens to remember; 0 disables the cache.
    ///   - now: The clock; injectable for tests.
    public init(
        keys: SigningKeySet,
        issuer: String,
        audience: String,
        leeway: Duration = .seconds(30),
        cacheCapacity: Int = 50_000,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.init(
            keyStore: SigningKeyStore(keys: keys), issuer: issuer, audience: audience, leeway: leeway,
            cacheCapacity: cacheCapacity, now: now
        )
    }

    /// Creates a verifier that follows `keyStore`.
    /// - Parameters:
    ///   - keyStore: The keys; every key of the current set verifies, each only with its own
    ///     algorithm; a reload takes effect for the next call.
    ///   - issuer: The expected `iss`.
    ///   - audience: The audience that must appear in `aud`.
    ///   - leeway: Clock skew tolerated for `exp`, `nbf`, `iat`.
    ///   - cacheCapacity: How many verified tokens to remember; 0 disables the cache.
    ///   - now: The clock; injectable for tests.
    public init(
        keyStore: SigningKeyStore,
        issuer: String,
        audience: String,
        leeway: Duration = .seconds(30),
        cacheCapacity: Int = 50_000,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.jws = JWSVerifier(keyStore: keyStore)
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        let components = leeway.components
        self.leewaySeconds = TimeInterval(components.seconds) + TimeInterval(components.attoseconds) / 1e18
        self.now = now
        self.cache = VerifiedTokenCache(capacity: cacheCapacity)
    }

    /// Verifies an access token.
    /// - Parameter token: The compact JWS from the `Authorization: Bearer` header.
    /// - Returns: Its claims.
    /// - Throws: ``TokenError`` saying which check failed; the error never contains the token.
    ///
    /// The work is synchronous CPU work; `nonisolated(nonsending)` keeps it on the caller's
    /// executor instead of hopping to the global one and back on every request.
    nonisolated(nonsending) public func verify(_ token: String) async throws(TokenError) -> AccessTokenClaims {
        try verifySync(token)
    }

    /// ``verify(_:)`` without the async signature, for callers already on a thread.
    func verifySync(_ token: String) throws(TokenError) -> AccessTokenClaims {
        guard token.utf8.count <= JWSVerifier.maximumTokenLength else {
            throw TokenError(.tooLarge, reason: "token exceeds \(JWSVerifier.maximumTokenLength) bytes")
        }
        let now = now()
        if let cached = cache.value(for: token) {
            guard jws.keyStore.snapshot.keys.key(withID: cached.keyID) != nil else {
                cache.remove(token)
                throw TokenError.unknownKey
            }
            do {
                try checkAudience(cached.claims)
                try cached.payload.checkTimes(now: now, leeway: leewaySeconds, checkIssuedAt: false)
            } catch {
                if error.code == .expired { cache.remove(token) }
                throw error
            }
            return cached.claims
        }

        let (header, payload) = try jws.verify(token, type: "at+jwt")
        let verified = Verified(payload: try AccessTokenPayload.decode(payload), keyID: header.keyID ?? "")
        guard verified.claims.issuer == issuer else {
            throw TokenError.wrongIssuer
        }
        try checkAudience(verified.claims)
        try verified.payload.checkTimes(now: now, leeway: leewaySeconds)
        cache.insert(verified, for: token)
        return verified.claims
    }

    private func checkAudience(_ claims: AccessTokenClaims) throws(TokenError) {
        guard claims.audience.contains(audience) else {
            throw TokenError.wrongAudience
        }
    }

    /// The number of cached tokens (for tests and metrics).
    var cachedTokenCount: Int { cache.count }
}
