/// The JWKS document served at the `jwks_uri`: `{"keys":[…]}`.
///
/// It lists the public key of every key in the manifest, active and retired, so tokens signed
/// before a rotation keep verifying at relying parties.
public struct JSONWebKeySet: Sendable, Codable, Equatable, Hashable {
    /// The public keys.
    public var keys: [JSONWebKey]

    /// Creates a key set.
    public init(keys: [JSONWebKey]) {
        self.keys = keys
    }
}
