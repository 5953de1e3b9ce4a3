public import CodedErrors
/// Why a DPoP proof (RFC 9449) was refused.
///
/// Callers match on ``code``; two errors are equal when their codes are equal. ``Code/useNonce``
/// is answered with the `use_dpop_nonce` error and a fresh `DPoP-Nonce` header (RFC 9449 §8);
/// every other code with `invalid_dpop_proof`.
///
/// Neither ``description`` nor ``reason`` contains the proof or values taken from it, so the error
/// is safe to log and to render to a client.
public struct DPoPError: CodedError {
    /// The kind of failure.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// Not a compact JWS, bad base64url, header or claims not the expected JSON.
        case malformed
        /// Longer than the verifier accepts; refused before any parsing or cryptography.
        case tooLarge
        /// The header `typ` is not `dpop+jwt`.
        case wrongType
        /// `alg` is missing or not one of ES256 and EdDSA (this includes `none` and HMAC).
        case unsupportedAlgorithm
        /// The header `jwk` is missing, carries private members, or is not a valid public key of
        /// the type `alg` needs.
        case badKey
        /// The signature does not verify under the header `jwk`.
        case badSignature
        /// A required claim (`jti`, `htm`, `htu`, `iat`, `ath`) is missing, or `jti` is too long.
        case missingClaim
        /// `htm` is not the method of the request.
        case methodMismatch
        /// `htu` is not the URI of the request (query and fragment aside).
        case uriMismatch
        /// `iat` lies outside the accepted window around now.
        case stale
        /// `ath` is not the hash of the presented access token, or present without one.
        case athMismatch
        /// A server nonce is required and the proof has none, or a stale or invalid one.
        case useNonce
    }

    /// The kind of failure.
    public let code: Code
    /// A short fixed explanation, never containing proof content.
    public let reason: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - reason: A short explanation; must not contain proof content.
    public init(_ code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }



}

extension DPoPError {
    /// A malformed proof.
    public static let malformed = DPoPError(.malformed, reason: "not a well-formed DPoP proof")
    /// A proof over the size limit.
    public static let tooLarge = DPoPError(.tooLarge, reason: "proof exceeds the size limit")
    /// A wrong header `typ`.
    public static let wrongType = DPoPError(.wrongType, reason: "header typ must be dpop+jwt")
    /// An algorithm outside the allow-list.
    public static let unsupportedAlgorithm = DPoPError(.unsupportedAlgorithm, reason: "alg must be ES256 or EdDSA")
    /// An unusable header `jwk`.
    public static let badKey = DPoPError(.badKey, reason: "header jwk is not a public key for alg")
    /// A signature that does not verify.
    public static let badSignature = DPoPError(.badSignature, reason: "signature verification failed")
    /// A missing claim.
    public static let missingClaim = DPoPError(.missingClaim, reason: "a required claim is missing")
    /// A wrong `htm`.
    public static let methodMismatch = DPoPError(.methodMismatch, reason: "htm does not match the request method")
    /// A wrong `htu`.
    public static let uriMismatch = DPoPError(.uriMismatch, reason: "htu does not match the request URI")
    /// An `iat` out of the window.
    public static let stale = DPoPError(.stale, reason: "iat is outside the accepted window")
    /// A wrong `ath`.
    public static let athMismatch = DPoPError(.athMismatch, reason: "ath does not match the access token")
    /// A missing or stale nonce.
    public static let useNonce = DPoPError(.useNonce, reason: "a fresh DPoP-Nonce is required")
}
