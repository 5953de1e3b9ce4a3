/// A JWS algorithm Solmu signs with (the `alg` header value, RFC 7518 / RFC 8037).
///
/// This is also the verification allow-list: a token with any other `alg` is refused.
public enum SigningAlgorithm: String, Sendable, Codable, CaseIterable {
    /// ECDSA with P-256 and SHA-256.
    case es256 = "ES256"
    /// Ed25519 (RFC 8037).
    case edDSA = "EdDSA"
}
