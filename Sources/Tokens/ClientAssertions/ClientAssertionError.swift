public import CodedErrors
/// Why a client assertion (`private_key_jwt`, RFC 7523 §2.2) was refused. Every code is answered
/// with `invalid_client`; the codes exist for logs and tests.
///
/// Callers match on ``code``; two errors are equal when their codes are equal. Neither
/// ``description`` nor ``reason`` contains the assertion or values taken from it.
public struct ClientAssertionError: CodedError {
    /// The kind of failure.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// Not a compact JWS, bad base64url, header or claims not the expected JSON.
        case malformed
        /// Longer than the verifier accepts; refused before any parsing or cryptography.
        case tooLarge
        /// The header `typ` names another kind of JWT.
        case wrongType
        /// `alg` is missing or not one of ES256 and EdDSA (this includes `none` and HMAC).
        case unsupportedAlgorithm
        /// The header carries a member that is refused (`jku`, `x5u`, `jwk`, `x5c`, `crit`).
        case forbiddenHeader
        /// No registered key of the channel fits `kid` and `alg` (or, without `kid`, not exactly one).
        case unknownKey
        /// The signature does not verify.
        case badSignature
        /// A required claim (`iss`, `sub`, `aud`, `exp`, `jti`) is missing, or `jti` is too long.
        case missingClaim
        /// `iss` is not the client id.
        case wrongIssuer
        /// `sub` is not the client id.
        case wrongSubject
        /// `aud` names none of the accepted audiences.
        case wrongAudience
        /// `exp` has passed.
        case expired
        /// `exp` lies further ahead than the longest accepted lifetime.
        case lifetimeTooLong
        /// `nbf` or `iat` lies in the future (beyond the leeway).
        case notYetValid
    }

    /// The kind of failure.
    public let code: Code
    /// A short fixed explanation, never containing assertion content.
    public let reason: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - reason: A short explanation; must not contain assertion content.
    public init(_ code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }



}

extension ClientAssertionError {
    /// A malformed assertion.
    public static let malformed = ClientAssertionError(.malformed, reason: "not a well-formed client assertion")
    /// An assertion over the size limit.
    public static let tooLarge = ClientAssertionError(.tooLarge, reason: "assertion exceeds the size limit")
    /// A wrong header `typ`.
    public static let wrongType = ClientAssertionError(.wrongType, reason: "header typ names another kind of JWT")
    /// An algorithm outside the allow-list.
    public static let unsupportedAlgorithm = ClientAssertionError(.unsupportedAlgorithm, reason: "alg must be ES256 or EdDSA")
    /// A refused header member.
    public static let forbiddenHeader = ClientAssertionError(.forbiddenHeader, reason: "forbidden header parameter")
    /// No fitting registered key.
    public static let unknownKey = ClientAssertionError(.unknownKey, reason: "no registered key fits kid and alg")
    /// A signature that does not verify.
    public static let badSignature = ClientAssertionError(.badSignature, reason: "signature verification failed")
    /// A missing claim.
    public static let missingClaim = ClientAssertionError(.missingClaim, reason: "a required claim is missing")
    /// A wrong issuer.
    public static let wrongIssuer = ClientAssertionError(.wrongIssuer, reason: "iss must be the client id")
    /// A wrong subject.
    public static let wrongSubject = ClientAssertionError(.wrongSubject, reason: "sub must be the client id")
    /// A wrong audience.
    public static let wrongAudience = ClientAssertionError(.wrongAudience, reason: "aud names no accepted audience")
    /// An expired assertion.
    public static let expired = ClientAssertionError(.expired, reason: "assertion expired")
    /// An assertion that lives too long.
    public static let lifetimeTooLong = ClientAssertionError(.lifetimeTooLong, reason: "exp is too far in the future")
    /// An assertion not valid yet.
    public static let notYetValid = ClientAssertionError(.notYetValid, reason: "assertion not yet valid")
}
