import Crypto
import Foundation
import _CryptoExtras

/// One loaded signing key: manifest data, the private key, and its public key ready for verifying.
///
/// Key objects are built once, at load; signing and verifying use them directly, with no per-token
/// key parsing.
struct SigningKey: Sendable {
    /// The private key, per algorithm.
    enum PrivateKey: Sendable {
        case es256(P256.Signing.PrivateKey)
        case edDSA(Curve25519.Signing.PrivateKey)

        /// A new random key.
        static func generate(_ algorithm: SigningAlgorithm) -> PrivateKey {
            switch algorithm {
            case .es256: .es256(P256.Signing.PrivateKey())
            case .edDSA: .edDSA(Curve25519.Signing.PrivateKey())
            }
        }

        /// Parses a PEM private key of the given algorithm (PKCS#8; SEC 1 also accepted for P-256).
        init(pem: String, algorithm: SigningAlgorithm) throws {
            switch algorithm {
            case .es256: self = .es256(try P256.Signing.PrivateKey(pemRepresentation: pem))
            case .edDSA: self = .edDSA(try Curve25519.Signing.PrivateKey(pemRepresentation: pem))
            }
        }

        var algorithm: SigningAlgorithm {
            switch self {
            case .es256: .es256
            case .edDSA: .edDSA
            }
        }

        /// PKCS#8 "PRIVATE KEY" PEM.
        var pemRepresentation: String {
            switch self {
            case .es256(let key): key.pemRepresentation
            case .edDSA(let key): key.pemRepresentation
            }
        }

        var publicKey: PublicKey {
            switch self {
            case .es256(let key): .es256(key.publicKey)
            case .edDSA(let key): .edDSA(key.publicKey)
            }
        }

        /// The JWS signature over `input`: raw r‖s for ES256 (RFC 7518 §3.4), 64 bytes for Ed25519.
        func signature(for input: some DataProtocol) throws -> [UInt8] {
            switch self {
            case .es256(let key): Array(try key.signature(for: input).rawRepresentation)
            case .edDSA(let key): Array(try key.signature(for: input))
            }
        }
    }

    /// The public key, per algorithm.
    enum PublicKey: Sendable {
        case es256(P256.Signing.PublicKey)
        case edDSA(Curve25519.Signing.PublicKey)

        /// Whether `signature` is a valid JWS signature of this key over `input`.
        func isValidSignature(_ signature: [UInt8], for input: some DataProtocol) -> Bool {
            switch self {
            case .es256(let key):
                // Only the fixed-size raw form is a JWS ES256 signature; DER is refused.
                guard signature.count == 64,
                    let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature)
                else { return false }
                return key.isValidSignature(parsed, for: input)
            case .edDSA(let key):
                guard signature.count == 64 else { return false }
                return key.isValidSignature(signature, for: input)
            }
        }

        /// The public JWK members (RFC 7518 §6.2, RFC 8037 §2), without `kid`, `alg`, `use`.
        var jwkMembers: (kty: String, crv: String, x: String, y: String?) {
            switch self {
            case .es256(let key):
                let raw = Array(key.rawRepresentation)  // x ‖ y, 32 bytes each
                return ("EC", "P-256", Base64URL.encode(raw[0..<32]), Base64URL.encode(raw[32..<64]))
            case .edDSA(let key):
                return ("OKP", "Ed25519", Base64URL.encode(key.rawRepresentation), nil)
            }
        }

        /// The RFC 7638 JWK thumbprint: base64url SHA-256 of the required members, sorted, no spaces.
        var thumbprint: String {
            JWKThumbprint.compute(jwkMembers)
        }
    }

    /// The manifest entry this key was loaded from.
    let entry: SigningKeyManifest.Entry
    let privateKey: PrivateKey
    let publicKey: PublicKey

    var kid: String { entry.kid }
    var algorithm: SigningAlgorithm { entry.algorithm }

    init(entry: SigningKeyManifest.Entry, privateKey: PrivateKey) {
        self.entry = entry
        self.privateKey = privateKey
        self.publicKey = privateKey.publicKey
    }

    /// The public JWK of this key; it never contains private members.
    var jwk: JSONWebKey {
        let members = publicKey.jwkMembers
        return JSONWebKey(
            keyType: members.kty, curve: members.crv, x: members.x, y: members.y,
            keyID: kid, algorithm: algorithm.rawValue, use: "sig"
        )
    }

    /// Metadata without key material.
    var info: SigningKeyInfo {
        SigningKeyInfo(kid: kid, algorithm: algorithm, createdAt: entry.createdAt, retiredAt: entry.retiredAt)
    }
}
