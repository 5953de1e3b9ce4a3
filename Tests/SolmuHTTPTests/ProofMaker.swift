import Crypto
import Foundation

/// Makes DPoP proofs and client assertions the way a client library would.
struct ProofMaker: Sendable {
    let key = P256.Signing.PrivateKey()

    var publicJWK: [String: String] {
        let raw = key.publicKey.rawRepresentation
        return ["kty": "EC", "crv": "P-256", "x": Self.base64URL(raw.prefix(32)), "y": Self.base64URL(raw.suffix(32))]
    }

    /// The RFC 7638 thumbprint of the public key (what `cnf.jkt` carries).
    var thumbprint: String {
        let jwk = publicJWK
        let canonical = "{\"crv\":\"\(jwk["crv"]!)\",\"kty\":\"\(jwk["kty"]!)\",\"x\":\"\(jwk["x"]!)\",\"y\":\"\(jwk["y"]!)\"}"
        return Self.base64URL(Data(SHA256.hash(data: Data(canonical.utf8))))
    }

    /// A DPoP proof for `method` `uri`, bound to `accessToken` when given.
    func dpop(_ method: String, _ uri: String, accessToken: String? = nil, nonce: String? = nil, jti: String = UUID().uuidString, iat: Date = Date()) -> String {
        var payload: [String: Any] = ["jti": jti, "htm": method, "htu": uri, "iat": Int(iat.timeIntervalSince1970)]
        if let accessToken { payload["ath"] = Self.base64URL(Data(SHA256.hash(data: Data(accessToken.utf8)))) }
        if let nonce { payload["nonce"] = nonce }
        return sign(header: ["typ": "dpop+jwt", "alg": "ES256", "jwk": publicJWK], payload: payload)
    }

    /// A `private_key_jwt` client assertion.
    func assertion(client: String, audience: String, kid: String, jti: String = UUID().uuidString, lifetime: TimeInterval = 120) -> String {
        let now = Int(Date().timeIntervalSince1970)
        return sign(header: ["alg": "ES256", "kid": kid, "typ": "JWT"],
                    payload: ["iss": client, "sub": client, "aud": audience, "jti": jti, "iat": now, "exp": now + Int(lifetime)])
    }

    func sign(header: [String: Any], payload: [String: Any]) -> String {
        let head = Self.base64URL(try! JSONSerialization.data(withJSONObject: header, options: .sortedKeys))
        let body = Self.base64URL(try! JSONSerialization.data(withJSONObject: payload, options: .sortedKeys))
        let signature = try! key.signature(for: Data((head + "." + body).utf8)).rawRepresentation
        return head + "." + body + "." + Self.base64URL(signature)
    }

    static func base64URL(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The claims of a JWT, without verifying it.
    static func claims(_ jwt: String) -> [String: Any] {
        let part = String(jwt.split(separator: ".")[1])
        return (try? JSONSerialization.jsonObject(with: Data(base64Encoded: part.base64URLPadded) ?? Data())) as? [String: Any] ?? [:]
    }
}
