public import CodedErrors
/// Why a token could not be issued or was refused.
///
/// Callers match on ``code``; two errors are equal when their codes are equal, so tests can compare
/// against the static members (`#expect(throws: TokenError.expired)`).
///
/// Neither ``description`` nor ``reason`` ever contains the token or values taken from it (a
/// refused token is attacker-controlled input and may be a live credential), so the error is safe
/// to log and to render to a client.
public struct TokenError: CodedError {
    /// The kind of failure.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// Not a compact JWS, bad base64url, header or payload not the expected JSON.
        case malformed
        /// Longer than the verifier accepts; refused before any parsing or cryptography.
        case tooLarge
        /// `alg` is missing or not one of ES256 and EdDSA (this includes `none` and HMAC).
        case unsupportedAlgorithm
        /// `alg` names an algorithm other than the one the key identified by `kid` is for.
        case algorithmMismatch
        /// `kid` is missing or names no key of this server.
        case unknownKey
        /// The signature does not verify.
        case badSignature
        /// The header `typ` is not the one expected for this kind of token.
        case wrongType
        /// The header carries a member that is refused (`jku`, `x5u`, `jwk`, `x5c`, `crit`).
        case forbiddenHeader
        /// `iss` is not the configured issuer.
        case wrongIssuer
        /// `aud` does not contain the expected audience.
        case wrongAudience
        /// `exp` has passed (beyond the leeway).
        case expired
        /// `nbf` or `iat` lies in the future (beyond the leeway).
        case notYetValid
        /// Issuing was asked for claims that cannot make a valid token (no audience, no lifetime).
        case invalidClaims
        /// No active key for the requested algorithm, or the signature operation failed.
        case signingFailed
    }

    /// The kind of failure.
    public let code: Code
    /// A short fixed explanation, never containing token content.
    public let reason: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - reason: A short explanation; must not contain token content.
    public init(_ code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }



}

extension TokenError {
    /// A malformed token.
    public static let malformed = TokenError(.malformed, reason: "not a well-formed compact JWS")
    /// A token over the size limit.
    public static let tooLarge = TokenError(.tooLarge, reason: "token exceeds the size limit")
    /// An algorithm outside the allow-list.
    public static let unsupportedAlgorithm = TokenError(.unsupportedAlgorithm, reason: "algorithm not allowed")
    /// An algorithm that does not match the key.
    public static let algorithmMismatch = TokenError(.algorithmMismatch, reason: "algorithm does not match the key")
    /// An unknown key.
    public static let unknownKey = TokenError(.unknownKey, reason: "unknown key id")
    /// A signature that does not verify.
    public static let badSignature = TokenError(.badSignature, reason: "signature verification failed")
    /// A wrong header `typ`.
    public static let wrongType = TokenError(.wrongType, reason: "unexpected token type")
    /// A refused header member.
    public static let forbiddenHeader = TokenError(.forbiddenHeader, reason: "forbidden header parameter")
    /// A wrong issuer.
    public static let wrongIssuer = TokenError(.wrongIssuer, reason: "issuer mismatch")
    /// A wrong audience.
    public static let wrongAudience = TokenError(.wrongAudience, reason: "audience mismatch")
    /// An expired token.
    public static let expired = TokenError(.expired, reason: "token expired")
    /// A token not valid yet.
    public static let notYetValid = TokenError(.notYetValid, reason: "token not yet valid")
    /// Claims that cannot be issued.
    public static let invalidClaims = TokenError(.invalidClaims, reason: "invalid claims")
    /// A signing failure.
    public static let signingFailed = TokenError(.signingFailed, reason: "signing failed")
}
