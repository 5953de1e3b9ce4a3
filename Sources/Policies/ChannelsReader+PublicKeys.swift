import Channels
import Foundation

extension ChannelsReader {
    /// Members that only a private or symmetric JWK has (RFC 7518 §6.2.2, §6.3.2, §6.4). Policy
    /// lists public keys only; a private key pasted here by mistake must stop the load.
    static let privateKeyMembers: Set<String> = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]

    /// Reads a channel's `jwks:` list of public JWKs for `private_key_jwt` and returns it as a JWKS
    /// document, `{"keys":[…]}` with keys sorted, ready to decode as `Tokens.JSONWebKeySet`.
    ///
    /// Each key is an EC P-256 (ES256) or OKP Ed25519 (EdDSA) public key with a `kid` unique in the
    /// list; `alg` and `use` may be given and must then agree (`use` is `sig`); both are filled in.
    /// Coordinates are canonical base64url of 32 bytes; whether a point lies on the curve is
    /// checked when the key is used.
    static func publicKeys(_ node: PolicyNode) throws(PolicyError) -> String {
        let elements = try node.sequence()
        guard !elements.isEmpty else { throw node.error("needs at least one public key") }
        var keys: [[String: String]] = []
        var keyIDs = Set<String>()
        for element in elements {
            let entries = try element.mapping()
            if let member = entries.first(where: { privateKeyMembers.contains($0.key) }) {
                throw member.value.error("is a private key member; list only public keys")
            }
            let fields = try element.fields(["kty", "crv", "x", "y", "kid", "alg", "use"])
            let keyType = try fields.required("kty")
            let expected: (curve: String, algorithm: String, hasY: Bool)
            switch try keyType.string() {
            case "EC": expected = ("P-256", "ES256", true)
            case "OKP": expected = ("Ed25519", "EdDSA", false)
            default: throw keyType.error("must be EC (P-256) or OKP (Ed25519)")
            }
            var key = ["kty": try keyType.string()]
            let curve = try fields.required("crv")
            guard try curve.string() == expected.curve else { throw curve.error("must be \(expected.curve) for kty \(key["kty"]!)") }
            key["crv"] = expected.curve
            key["x"] = try coordinate(try fields.required("x"))
            if expected.hasY {
                key["y"] = try coordinate(try fields.required("y"))
            } else if let y = fields["y"] {
                throw y.error("an OKP key has no y")
            }
            let kidNode = try fields.required("kid")
            let kid = try kidNode.string()
            guard (1...256).contains(kid.utf8.count) else { throw kidNode.error("must be 1 to 256 bytes") }
            guard keyIDs.insert(kid).inserted else { throw kidNode.error("appears twice in this channel's keys") }
            key["kid"] = kid
            if let algorithm = fields["alg"], try algorithm.string() != expected.algorithm {
                throw algorithm.error("must be \(expected.algorithm) for this key")
            }
            key["alg"] = expected.algorithm
            if let use = fields["use"], try use.string() != "sig" { throw use.error("must be sig") }
            key["use"] = "sig"
            keys.append(key)
        }
        guard let data = try? JSONSerialization.data(withJSONObject: ["keys": keys], options: [.sortedKeys]) else {
            throw node.error("cannot be written as JSON")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// A 32-byte coordinate in canonical unpadded base64url: 43 characters, the last one
    /// carrying no stray bits.
    private static func coordinate(_ node: PolicyNode) throws(PolicyError) -> String {
        let value = try node.string()
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        guard value.count == 43, value.allSatisfy(alphabet.contains),
            let last = value.last, let index = alphabet.firstIndex(of: last), index % 4 == 0
        else {
            throw node.error("must be 32 bytes in unpadded base64url (43 characters)")
        }
        return value
    }
}
