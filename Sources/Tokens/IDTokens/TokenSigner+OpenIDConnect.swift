import Crypto
public import Foundation

extension TokenSigner {
    /// Signs an ID token (header `typ: JWT`, so that it can never pass as an access token, whose
    /// `typ` is `at+jwt`).
    public func issueIDToken(_ claims: IDTokenClaims, algorithm: SigningAlgorithm) throws(TokenError) -> String {
        try sign(claims, type: "JWT", algorithm: algorithm)
    }

    /// Signs a back-channel logout token (`typ: logout+jwt`).
    public func issueLogoutToken(subject: String, audience: String, sessionID: String, algorithm: SigningAlgorithm) throws(TokenError) -> String {
        let issuedAt = NumericDate.truncated(now())
        return try sign(LogoutTokenClaims(
            issuer: issuer, subject: subject, audience: audience, issuedAt: issuedAt,
            expiresAt: issuedAt.addingTimeInterval(120), tokenID: Self.makeTokenID(), sessionID: sessionID
        ), type: "logout+jwt", algorithm: algorithm)
    }

    /// The current time of this signer's clock (truncated to seconds as tokens carry it).
    public var currentTime: Date { NumericDate.truncated(now()) }

    /// `at_hash` (Core §3.1.3.6): the left half of the hash of the access token, base64url. The
    /// hash is the one of the signing algorithm: SHA-256 for ES256, SHA-512 for EdDSA with Ed25519.
    public static func accessTokenHash(_ accessToken: String, algorithm: SigningAlgorithm) -> String {
        let bytes: [UInt8] = switch algorithm {
        case .es256: Array(SHA256.hash(data: Data(accessToken.utf8)))
        case .edDSA: Array(SHA512.hash(data: Data(accessToken.utf8)))
        }
        return Base64URL.encode(bytes.prefix(bytes.count / 2))
    }
}

/// Verifies Solmu's own ID tokens where a client hands one back (`id_token_hint` at logout).
public struct IDTokenHintVerifier: Sendable {
    let jws: JWSVerifier
    let issuer: String

    /// Creates a verifier that follows `keyStore`: keys added or pruned by a reload count at once.
    /// - Parameters:
    ///   - keyStore: The keys; every key in the current set verifies.
    ///   - issuer: The expected `iss`.
    public init(keyStore: SigningKeyStore, issuer: String) {
        self.jws = JWSVerifier(keyStore: keyStore)
        self.issuer = issuer
    }

    /// Creates a verifier with a fixed set of keys.
    /// - Parameters:
    ///   - keys: The keys; every key in the manifest verifies.
    ///   - issuer: The expected `iss`.
    public init(keys: SigningKeySet, issuer: String) {
        self.init(keyStore: SigningKeyStore(keys: keys), issuer: issuer)
    }

    /// The claims of an ID token this server signed. Expiry is not checked: OpenID Connect
    /// RP-Initiated Logout §2 allows an expired ID token as a hint.
    public func verify(_ token: String) throws(TokenError) -> IDTokenClaims {
        let (_, payload) = try jws.verify(token, type: "JWT")
        let claims: IDTokenClaims
        do {
            claims = try JSONDecoder().decode(IDTokenClaims.self, from: Data(payload))
        } catch {
            throw TokenError(.malformed, reason: "payload is not an ID token")
        }
        guard claims.issuer == issuer else { throw TokenError.wrongIssuer }
        return claims
    }
}
