public import Foundation

/// Reads Solmu's own access tokens whatever their audience: for token exchange (subject and
/// actor tokens), introspection and revocation, where the caller decides what the audience
/// means. Everything else is checked as for any access token (RFC 8725): the JOSE layer, `typ`,
/// the issuer, and the times (`exp`, `nbf`, `iat`) as ``AccessTokenPayload`` checks them.
public struct AccessTokenInspector: Sendable {
    let jws: JWSVerifier
    public let issuer: String
    let leeway: TimeInterval
    let now: @Sendable () -> Date

    public init(keys: SigningKeySet, issuer: String, leeway: Duration = .seconds(30), now: @escaping @Sendable () -> Date = Date.init) {
        self.init(keyStore: SigningKeyStore(keys: keys), issuer: issuer, leeway: leeway, now: now)
    }

    /// An inspector that follows key rotations of `keyStore`.
    public init(keyStore: SigningKeyStore, issuer: String, leeway: Duration = .seconds(30), now: @escaping @Sendable () -> Date = Date.init) {
        self.jws = JWSVerifier(keyStore: keyStore)
        self.issuer = issuer
        self.leeway = TimeInterval(leeway.components.seconds)
        self.now = now
    }

    /// The claims of a valid, unexpired access token of this issuer.
    public func inspect(_ token: String) throws(TokenError) -> AccessTokenClaims {
        let (_, payload) = try jws.verify(token, type: "at+jwt")
        let decoded = try AccessTokenPayload.decode(payload)
        guard decoded.claims.issuer == issuer else { throw TokenError.wrongIssuer }
        try decoded.checkTimes(now: now(), leeway: leeway)
        return decoded.claims
    }
}
