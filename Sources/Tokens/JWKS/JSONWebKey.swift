/// A public JSON Web Key (RFC 7517) as published in the JWKS.
///
/// The type has no private members at all (`d` and friends), so serializing it can never leak a
/// private key.
public struct JSONWebKey: Sendable, Codable, Equatable, Hashable {
    /// `kty`: `"EC"` or `"OKP"`.
    public var keyType: String
    /// `crv`: `"P-256"` or `"Ed25519"`.
    public var curve: String
    /// `x`: the x coordinate (EC) or the public key (OKP), base64url.
    public var x: String
    /// `y`: the y coordinate, EC only.
    public var y: String?
    /// `kid`: the RFC 7638 thumbprint of the key.
    public var keyID: String
    /// `alg`: the only algorithm the key is used with.
    public var algorithm: String
    /// `use`: always `"sig"`.
    public var use: String

    /// Creates a JWK from its members.
    public init(keyType: String, curve: String, x: String, y: String?, keyID: String, algorithm: String, use: String) {
        self.keyType = keyType
        self.curve = curve
        self.x = x
        self.y = y
        self.keyID = keyID
        self.algorithm = algorithm
        self.use = use
    }

    private enum CodingKeys: String, CodingKey {
        case keyType = "kty"
        case curve = "crv"
        case x, y
        case keyID = "kid"
        case algorithm = "alg"
        case use
    }
}
