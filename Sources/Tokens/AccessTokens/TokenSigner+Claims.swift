public import Foundation

extension TokenSigner {
    /// Signs an access token whose claims the caller composed (token exchange, DPoP-bound
    /// tokens): `iss`, `iat`, `exp` and `jti` are set here, the rest is taken as given.
    /// - Parameter template: the claims; its issuer, times and token id are replaced.
    nonisolated(nonsending) public func issueAccessToken(
        _ template: AccessTokenClaims, lifetime: Duration, algorithm: SigningAlgorithm = .es256
    ) async throws(TokenError) -> (token: String, claims: AccessTokenClaims) {
        guard lifetime.components.seconds > 0 else {
            throw TokenError(.invalidClaims, reason: "lifetime must be at least one second")
        }
        guard !template.audience.isEmpty, !template.subject.isEmpty, !template.clientID.isEmpty else {
            throw TokenError(.invalidClaims, reason: "an access token needs a subject, an audience and a client_id")
        }
        var claims = template
        claims.issuer = issuer
        claims.issuedAt = NumericDate.truncated(now())
        claims.expiresAt = claims.issuedAt.addingTimeInterval(TimeInterval(lifetime.components.seconds))
        claims.tokenID = Self.makeTokenID()
        return (try sign(claims, type: "at+jwt", algorithm: algorithm), claims)
    }
}
