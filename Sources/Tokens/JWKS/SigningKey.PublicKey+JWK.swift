import Crypto

extension SigningKey.PublicKey {
    /// The verification key described by the public members of a JWK presented by a client (a
    /// DPoP proof's `jwk` header, a channel's registered keys), or `nil` when they do not form a
    /// valid public key for `algorithm`.
    ///
    /// Only the key types of the allow-list are understood: `EC`/`P-256` for ES256 (RFC 7518 §6.2)
    /// and `OKP`/`Ed25519` for EdDSA (RFC 8037 §2). Coordinates must be canonical base64url of
    /// exactly 32 bytes, and a P-256 point must lie on the curve.
    init?(kty: String?, crv: String?, x: String?, y: String?, for algorithm: SigningAlgorithm) {
        guard let x, let xBytes = Base64URL.decode(x), xBytes.count == 32 else { return nil }
        switch algorithm {
        case .es256:
            guard kty == "EC", crv == "P-256", let y, let yBytes = Base64URL.decode(y), yBytes.count == 32,
                let key = try? P256.Signing.PublicKey(rawRepresentation: xBytes + yBytes)
            else { return nil }
            self = .es256(key)
        case .edDSA:
            guard kty == "OKP", crv == "Ed25519", y == nil,
                let key = try? Curve25519.Signing.PublicKey(rawRepresentation: xBytes)
            else { return nil }
            self = .edDSA(key)
        }
    }

    /// JWK members that only a private or symmetric key has (RFC 7518 §6.2.2, §6.3.2, §6.4;
    /// RFC 8037 §2). A key carrying any of them is refused: a client must never send its private
    /// key, and a symmetric key cannot prove possession to a third party.
    static let privateMemberNames: Set<String> = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]
}
