import Crypto
import Foundation
@testable import Tokens

/// A client's key pair, made in the test, that signs compact JWSs the way a client would.
struct ClientKey: Sendable, CustomStringConvertible {
    enum Private: Sendable {
        case es256(P256.Signing.PrivateKey)
        case edDSA(Curve25519.Signing.PrivateKey)
    }

    let key: Private

    static func p256() -> ClientKey { ClientKey(key: .es256(P256.Signing.PrivateKey())) }
    static func ed25519() -> ClientKey { ClientKey(key: .edDSA(Curve25519.Signing.PrivateKey())) }

    var description: String { algorithm }

    var algorithm: String {
        switch key {
        case .es256: "ES256"
        case .edDSA: "EdDSA"
        }
    }

    /// The public JWK members.
    var publicJWK: [String: String] {
        switch key {
        case .es256(let key):
            let raw = Array(key.publicKey.rawRepresentation)
            return ["kty": "EC", "crv": "P-256", "x": Base64URL.encode(raw[0..<32]), "y": Base64URL.encode(raw[32..<64])]
        case .edDSA(let key):
            return ["kty": "OKP", "crv": "Ed25519", "x": Base64URL.encode(key.publicKey.rawRepresentation)]
        }
    }

    /// The public JWK with `kid`, `alg`, `use`, as a channel registers it.
    func registered(kid: String) -> JSONWebKey {
        let jwk = publicJWK
        return JSONWebKey(keyType: jwk["kty"]!, curve: jwk["crv"]!, x: jwk["x"]!, y: jwk["y"], keyID: kid, algorithm: algorithm, use: "sig")
    }

    /// The RFC 7638 thumbprint computed here from scratch: SHA-256 of the required members in
    /// lexicographic order, no whitespace.
    var expectedThumbprint: String {
        let jwk = publicJWK
        let json = jwk["kty"] == "EC"
            ? #"{"crv":"\#(jwk["crv"]!)","kty":"EC","x":"\#(jwk["x"]!)","y":"\#(jwk["y"]!)"}"#
            : #"{"crv":"\#(jwk["crv"]!)","kty":"OKP","x":"\#(jwk["x"]!)"}"#
        return Base64URL.encode(Array(SHA256.hash(data: Array(json.utf8))))
    }

    func sign(_ input: [UInt8]) throws -> [UInt8] {
        switch key {
        case .es256(let key): Array(try key.signature(for: input).rawRepresentation)
        case .edDSA(let key): Array(try key.signature(for: input))
        }
    }

    /// A compact JWS of `header` and `payload` (JSON objects), signed by this key unless
    /// `signature` is given.
    func jws(header: [String: Any], payload: [String: Any], signature: [UInt8]? = nil) throws -> String {
        let headerJSON = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        let payloadJSON = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
        let input = Base64URL.encode(Array(headerJSON)) + "." + Base64URL.encode(Array(payloadJSON))
        return input + "." + Base64URL.encode(try signature ?? sign(Array(input.utf8)))
    }
}
