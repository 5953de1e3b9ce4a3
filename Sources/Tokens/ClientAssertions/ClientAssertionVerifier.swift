public import Foundation

/// Verifies client assertions for `private_key_jwt` client authentication (RFC 7523 §2.2 and §3,
/// OIDC Core §9) against the public keys registered for the channel.
///
/// Checked: size, structure, refused header members (`jku`, `x5u`, `jwk`, `x5c`, `crit`: the
/// assertion never chooses its own key), `typ` (absent, `JWT` or `client-authentication+jwt`),
/// `alg` ES256 or EdDSA, the key by `kid` (or the only registered key of `alg`'s type when there is
/// no `kid`), the signature, `iss` and `sub` equal to the client id, `aud` naming an accepted
/// audience, `exp` in the future and at most ``maximumLifetime`` ahead, `nbf` and `iat` not in the
/// future beyond ``leeway``, and a `jti`.
///
/// `jti` replay is not checked here: the caller remembers ``ClientAssertion/jti`` until
/// ``ClientAssertion/expiresAt``. RSA keys are not accepted (a channel registers EC P-256 or
/// Ed25519 keys).
public struct ClientAssertionVerifier: Sendable {
    /// Assertions longer than this are refused before any parsing or cryptography.
    public static let maximumAssertionLength = 8 * 1024
    /// The furthest `exp` may lie ahead: an assertion is made for one request, not kept.
    public static let maximumLifetime: Duration = .seconds(600)
    /// How far `iat` and `nbf` may lie in the future (clock skew).
    public static let leeway: Duration = .seconds(60)
    /// The longest `jti` accepted, in bytes.
    public static let maximumJTILength = 256

    private let now: @Sendable () -> Date

    /// Creates a verifier.
    /// - Parameter now: The clock.
    public init(now: @escaping @Sendable () -> Date = Date.init) {
        self.now = now
    }

    /// Verifies the `client_assertion` of a token request.
    /// - Parameters:
    ///   - assertion: The compact JWS.
    ///   - clientID: The channel the request is for (from `client_id`, or from the assertion's
    ///     `sub` after the caller found the channel).
    ///   - keys: The channel's registered public keys.
    ///   - audiences: The accepted `aud` values: the token endpoint URL and the issuer.
    /// - Returns: The assertion's `jti` and `exp`, for replay detection.
    /// - Throws: ``ClientAssertionError``.
    public func verify(
        _ assertion: String, clientID: String, keys: JSONWebKeySet, audiences: Set<String>
    ) throws(ClientAssertionError) -> ClientAssertion {
        guard assertion.utf8.count <= Self.maximumAssertionLength else { throw .tooLarge }
        let jws: CompactJWS
        do {
            jws = try CompactJWS(assertion)
        } catch {
            throw .malformed
        }
        let header = jws.header
        if let refused = JOSEHeader.forbiddenParameters.first(where: header.parameterNames.contains) {
            throw ClientAssertionError(.forbiddenHeader, reason: "header parameter \(refused) is not accepted")
        }
        if let type = header.type, !Self.acceptedTypes.contains(where: { JWSVerifier.typeMatches(type, expected: $0) || type.lowercased() == $0.lowercased() }) {
            throw .wrongType
        }
        guard let name = header.algorithm, let algorithm = SigningAlgorithm(rawValue: name) else {
            throw .unsupportedAlgorithm
        }
        guard let key = Self.key(in: keys, kid: header.keyID, algorithm: algorithm) else { throw .unknownKey }
        guard key.isValidSignature(jws.signature, for: jws.signingInput) else { throw .badSignature }

        let claims: ClientAssertionClaims
        do {
            claims = try JSONDecoder().decode(ClientAssertionClaims.self, from: Data(jws.payload))
        } catch {
            throw ClientAssertionError(.malformed, reason: "claims are not a JSON object of the expected types")
        }
        guard let issuer = claims.issuer else { throw ClientAssertionError(.missingClaim, reason: "iss is missing") }
        guard issuer == clientID else { throw .wrongIssuer }
        guard let subject = claims.subject else { throw ClientAssertionError(.missingClaim, reason: "sub is missing") }
        guard subject == clientID else { throw .wrongSubject }
        guard let audience = claims.audience else { throw ClientAssertionError(.missingClaim, reason: "aud is missing") }
        guard audience.contains(where: audiences.contains) else { throw .wrongAudience }

        let now = now()
        let leeway = DPoPProofVerifier.seconds(Self.leeway)
        guard let expiresAt = claims.expiresAt else { throw ClientAssertionError(.missingClaim, reason: "exp is missing") }
        guard expiresAt > now else { throw .expired }
        guard expiresAt.timeIntervalSince(now) <= DPoPProofVerifier.seconds(Self.maximumLifetime) else { throw .lifetimeTooLong }
        if let notBefore = claims.notBefore, notBefore.timeIntervalSince(now) > leeway {
            throw ClientAssertionError(.notYetValid, reason: "nbf is in the future")
        }
        if let issuedAt = claims.issuedAt, issuedAt.timeIntervalSince(now) > leeway {
            throw ClientAssertionError(.notYetValid, reason: "iat is in the future")
        }
        guard let jti = claims.jti, !jti.isEmpty else { throw ClientAssertionError(.missingClaim, reason: "jti is missing") }
        guard jti.utf8.count <= Self.maximumJTILength else {
            throw ClientAssertionError(.missingClaim, reason: "jti is longer than \(Self.maximumJTILength) bytes")
        }
        return ClientAssertion(jti: jti, expiresAt: expiresAt)
    }

    /// `typ` values that say "a JWT for client authentication" (RFC 7519 §5.1; the explicit type
    /// of draft-ietf-oauth-rfc7523bis). Any other type (`at+jwt`, `dpop+jwt`, …) is another token.
    static let acceptedTypes = ["JWT", "client-authentication+jwt"]

    /// The registered key to verify with: the one named by `kid`, or without `kid` the only key of
    /// the type `algorithm` needs. A key whose `alg` or `use` says otherwise is never used.
    static func key(in keys: JSONWebKeySet, kid: String?, algorithm: SigningAlgorithm) -> SigningKey.PublicKey? {
        let usable = keys.keys.filter { key in
            (key.algorithm.isEmpty || key.algorithm == algorithm.rawValue) && (key.use.isEmpty || key.use == "sig")
        }
        let candidates: [SigningKey.PublicKey]
        if let kid {
            candidates = usable.filter { $0.keyID == kid }.compactMap { publicKey($0, algorithm) }
        } else {
            candidates = usable.compactMap { publicKey($0, algorithm) }
        }
        return candidates.count == 1 ? candidates[0] : nil
    }

    private static func publicKey(_ jwk: JSONWebKey, _ algorithm: SigningAlgorithm) -> SigningKey.PublicKey? {
        SigningKey.PublicKey(kty: jwk.keyType, crv: jwk.curve, x: jwk.x, y: jwk.y, for: algorithm)
    }
}
