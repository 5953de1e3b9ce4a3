public import Foundation

/// Issues tokens signed with the active keys of a ``SigningKeyStore``.
///
/// Signing is synchronous CPU work on keys parsed once at load (no actor); each token takes the
/// store's current keys once, so a rotation picked up by the store applies to the next token.
/// The value can be shared freely between request handlers.
public struct TokenSigner: Sendable {
    /// Where the keys come from; the active key per algorithm signs.
    public let keyStore: SigningKeyStore
    /// The `iss` of every token.
    public let issuer: String
    let now: @Sendable () -> Date

    /// The keys in use now.
    public var keys: SigningKeySet {
        keyStore.current
    }

    /// Creates a signer that follows `keyStore`.
    /// - Parameters:
    ///   - keyStore: The keys; a reload takes effect for the next token.
    ///   - issuer: The issuer identifier (`iss`), e.g. `https://sso.example.com`.
    ///   - now: The clock; injectable for tests.
    public init(keyStore: SigningKeyStore, issuer: String, now: @escaping @Sendable () -> Date = Date.init) {
        self.keyStore = keyStore
        self.issuer = issuer
        self.now = now
    }

    /// Creates a signer with a fixed set of keys.
    /// - Parameters:
    ///   - keys: The loaded keys.
    ///   - issuer: The issuer identifier (`iss`), e.g. `https://sso.example.com`.
    ///   - now: The clock; injectable for tests.
    public init(keys: SigningKeySet, issuer: String, now: @escaping @Sendable () -> Date = Date.init) {
        self.init(keyStore: SigningKeyStore(keys: keys), issuer: issuer, now: now)
    }

    /// Issues a JWT access token (RFC 9068): header `typ: at+jwt`, `alg`, `kid`; claims `iss`,
    /// `sub`, `aud`, `exp`, `iat`, `jti`, `scope`, `client_id`.
    ///
    /// - Parameters:
    ///   - subject: The `sub` claim.
    ///   - audience: The resource servers (`aud`); at least one. A single one is written as a string.
    ///   - clientID: The `client_id` claim.
    ///   - scope: The granted scopes; none may contain a space.
    ///   - lifetime: From `iat` to `exp`; positive. `iat` is the current time in whole seconds.
    ///   - algorithm: ES256 by default; EdDSA when the client asked for it.
    /// - Returns: The compact token and the claims it carries.
    /// - Throws: ``TokenError`` `invalidClaims` for unusable arguments, `signingFailed` if there is
    ///   no active key for `algorithm`.
    ///
    /// The work is synchronous CPU work; `nonisolated(nonsending)` keeps it on the caller's
    /// executor instead of hopping to the global one and back on every request.
    nonisolated(nonsending) public func issueAccessToken(
        subject: String,
        audience: [String],
        clientID: String,
        scope: [String],
        lifetime: Duration,
        algorithm: SigningAlgorithm = .es256
    ) async throws(TokenError) -> (token: String, claims: AccessTokenClaims) {
        guard !audience.isEmpty, !audience.contains(where: \.isEmpty) else {
            throw TokenError(.invalidClaims, reason: "an access token needs at least one non-empty audience")
        }
        guard !subject.isEmpty, !clientID.isEmpty else {
            throw TokenError(.invalidClaims, reason: "subject and client_id must not be empty")
        }
        guard !scope.contains(where: { $0.isEmpty || $0.contains(" ") }) else {
            throw TokenError(.invalidClaims, reason: "a scope must be non-empty and contain no space")
        }
        let seconds = lifetime.components.seconds
        guard seconds > 0 else {
            throw TokenError(.invalidClaims, reason: "lifetime must be at least one second")
        }
        let issuedAt = NumericDate.truncated(now())
        let claims = AccessTokenClaims(
            issuer: issuer,
            subject: subject,
            audience: audience,
            expiresAt: issuedAt.addingTimeInterval(TimeInterval(seconds)),
            issuedAt: issuedAt,
            tokenID: Self.makeTokenID(),
            scope: scope,
            clientID: clientID
        )
        let token = try sign(claims, type: "at+jwt", algorithm: algorithm)
        return (token, claims)
    }

    /// The generic signing path for every token kind (access, ID, logout tokens): serializes
    /// `claims` and signs them with the active key of `algorithm`, header `alg`, `kid`, `typ`.
    /// - Parameters:
    ///   - claims: The payload.
    ///   - type: The header `typ`, e.g. `at+jwt`, `JWT`, `logout+jwt`.
    ///   - algorithm: Which active key signs.
    func sign(_ claims: some Encodable, type: String, algorithm: SigningAlgorithm) throws(TokenError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let payload: [UInt8]
        do {
            payload = Array(try encoder.encode(claims))
        } catch {
            throw TokenError(.signingFailed, reason: "could not serialize the token's claims")
        }
        return try sign(payload: payload, type: type, algorithm: algorithm)
    }

    /// Access tokens, the most frequent: their claims written by hand, as `JSONEncoder` would.
    func sign(_ claims: AccessTokenClaims, type: String, algorithm: SigningAlgorithm) throws(TokenError) -> String {
        try sign(payload: claims.json, type: type, algorithm: algorithm)
    }

    private func sign(payload: [UInt8], type: String, algorithm: SigningAlgorithm) throws(TokenError) -> String {
        guard let key = keyStore.snapshot.keys.signingKey(for: algorithm) else {
            throw TokenError(.signingFailed, reason: "no active \(algorithm.rawValue) key")
        }
        do {
            return try CompactJWS.sign(header: Self.header(alg: algorithm.rawValue, kid: key.kid, typ: type), payload: payload, with: key)
        } catch {
            throw TokenError(.signingFailed, reason: "could not sign the token")
        }
    }

    /// The JOSE header `{"alg","kid","typ"}`, keys sorted.
    static func header(alg: String, kid: String, typ: String) -> [UInt8] {
        var writer = JSONWriter(capacity: 96)
        writer.raw("{\"alg\":")
        writer.string(alg)
        writer.raw(",\"kid\":")
        writer.string(kid)
        writer.raw(",\"typ\":")
        writer.string(typ)
        writer.raw("}")
        return writer.bytes
    }

    /// 128 random bits, base64url.
    static func makeTokenID() -> String {
        var generator = SystemRandomNumberGenerator()
        let words = (generator.next() as UInt64, generator.next() as UInt64)
        return withUnsafeBytes(of: words) { Base64URL.encode($0) }
    }

}
