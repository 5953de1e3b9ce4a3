import Foundation

/// An access token's payload as both readers of access tokens check it: the RFC 9068 claims plus
/// `nbf`, decoded in one pass, and the time rules (RFC 8725 §3.10 and RFC 9068 §4), so that
/// ``AccessTokenVerifier`` (the API) and ``AccessTokenInspector`` (exchange, introspection,
/// revocation) cannot drift apart on them.
struct AccessTokenPayload: Decodable, Sendable {
    var claims: AccessTokenClaims
    var notBefore: Date?

    private enum CodingKeys: String, CodingKey {
        case notBefore = "nbf"
    }

    init(claims: AccessTokenClaims, notBefore: Date?) {
        self.claims = claims
        self.notBefore = notBefore
    }

    init(from decoder: any Decoder) throws {
        claims = try AccessTokenClaims(from: decoder)
        notBefore = try NumericDate.decodeIfPresent(try decoder.container(keyedBy: CodingKeys.self), forKey: .notBefore)
    }

    /// Decodes a verified JWS payload.
    static func decode(_ payload: [UInt8]) throws(TokenError) -> AccessTokenPayload {
        do {
            return try JSONDecoder().decode(AccessTokenPayload.self, from: Data(payload))
        } catch {
            throw TokenError(.malformed, reason: "payload is not a JSON object with the RFC 9068 claims")
        }
    }

    /// `exp` not passed; `nbf` (if present) and, unless a cache already checked it, `iat` not in
    /// the future; each with `leeway` seconds of clock skew.
    func checkTimes(now: Date, leeway: TimeInterval, checkIssuedAt: Bool = true) throws(TokenError) {
        let now = now.timeIntervalSince1970
        guard now < claims.expiresAt.timeIntervalSince1970 + leeway else {
            throw TokenError.expired
        }
        if let notBefore, notBefore.timeIntervalSince1970 > now + leeway {
            throw TokenError(.notYetValid, reason: "nbf is in the future")
        }
        if checkIssuedAt, claims.issuedAt.timeIntervalSince1970 > now + leeway {
            throw TokenError(.notYetValid, reason: "iat is in the future")
        }
    }
}
