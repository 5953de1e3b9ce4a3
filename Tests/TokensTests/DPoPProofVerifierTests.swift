import CodedErrors
import Crypto
import Foundation
import Testing
@testable import Tokens

@Suite("Verifying DPoP proofs")
struct DPoPProofVerifierTests {
    static let uri = "https://id.example.com/oauth/token"
    static let accessToken = "eyJhbGciOiJFUzI1NiJ9.access-token.signature"

    let clock = TestClock(Date(timeIntervalSince1970: 1_750_000_000))
    let verifier: DPoPProofVerifier

    init() {
        let clock = clock
        verifier = DPoPProofVerifier(nonceKey: SymmetricKey(size: .bits256), now: { clock.now })
    }

    func header(_ key: ClientKey) -> [String: Any] {
        ["typ": "dpop+jwt", "alg": key.algorithm, "jwk": key.publicJWK]
    }

    func payload(iat: Date? = nil) -> [String: Any] {
        ["jti": UUID().uuidString, "htm": "POST", "htu": Self.uri, "iat": Int((iat ?? clock.now).timeIntervalSince1970)]
    }

    /// Verifies and returns the error code, or nil when the proof was accepted.
    func code(
        _ proof: String, method: String = "POST", uri: String = uri, accessToken: String? = nil, requireNonce: Bool = false
    ) -> DPoPError.Code? {
        do {
            _ = try verifier.verify(proof, method: method, uri: uri, accessToken: accessToken, requireNonce: requireNonce)
            return nil
        } catch {
            #expect(!error.description.contains(proof))
            #expect(!String(reflecting: error).contains(proof))
            return error.code
        }
    }

    @Test("a valid proof is accepted with its thumbprint, jti and iat", arguments: [ClientKey.p256(), ClientKey.ed25519()])
    func validProof(key: ClientKey) throws {
        var claims = payload()
        claims["jti"] = "proof-1"
        let proof = try key.jws(header: header(key), payload: claims)
        let verified = try verifier.verify(proof, method: "POST", uri: Self.uri, accessToken: nil, requireNonce: false)
        #expect(verified.jkt == key.expectedThumbprint)
        #expect(verified.jkt == DPoPProofVerifier.thumbprint(of: key.registered(kid: "any")))
        #expect(verified.jti == "proof-1")
        #expect(verified.issuedAt == clock.now)
    }

    @Test("typ must be exactly dpop+jwt")
    func wrongType() throws {
        let key = ClientKey.p256()
        for type in ["JWT", "at+jwt", "DPoP+JWT", "application/dpop+jwt"] {
            var header = header(key)
            header["typ"] = type
            #expect(code(try key.jws(header: header, payload: payload())) == .wrongType, "\(type)")
        }
        var header = header(key)
        header.removeValue(forKey: "typ")
        #expect(code(try key.jws(header: header, payload: payload())) == .wrongType)
    }

    @Test("alg none, HMAC and RSA are refused")
    func algorithms() throws {
        let key = ClientKey.p256()
        for algorithm in ["none", "HS256", "RS256", "PS256", "ES384", "es256"] {
            var header = header(key)
            header["alg"] = algorithm
            #expect(code(try key.jws(header: header, payload: payload())) == .unsupportedAlgorithm, "\(algorithm)")
        }
        var header = header(key)
        header["alg"] = "none"
        #expect(code(try key.jws(header: header, payload: payload(), signature: [])) == .unsupportedAlgorithm)
    }

    @Test("the jwk must be a public key of the type alg needs")
    func badKeys() throws {
        let key = ClientKey.p256()
        for member in ["d", "p", "q", "dp", "dq", "qi", "k"] {
            var jwk = key.publicJWK
            jwk[member] = "AAAA"
            var header = header(key)
            header["jwk"] = jwk
            #expect(code(try key.jws(header: header, payload: payload())) == .badKey, "\(member)")
        }
        var header = header(key)
        header.removeValue(forKey: "jwk")
        #expect(code(try key.jws(header: header, payload: payload())) == .badKey)
        // An EC key with alg EdDSA, and an Ed25519 key with alg ES256.
        header = self.header(key)
        header["alg"] = "EdDSA"
        #expect(code(try key.jws(header: header, payload: payload())) == .badKey)
        let edKey = ClientKey.ed25519()
        header = self.header(edKey)
        header["alg"] = "ES256"
        #expect(code(try edKey.jws(header: header, payload: payload())) == .badKey)
        // A point that is not on the curve.
        var jwk = key.publicJWK
        jwk["y"] = Base64URL.encode([UInt8](repeating: 1, count: 32))
        header = self.header(key)
        header["jwk"] = jwk
        #expect(code(try key.jws(header: header, payload: payload())) == .badKey)
        // A symmetric key.
        header = self.header(key)
        header["jwk"] = ["kty": "oct", "k": "c2VjcmV0"]
        #expect(code(try key.jws(header: header, payload: payload())) == .badKey)
    }

    @Test("a signature by another key, or over other content, is refused")
    func badSignature() throws {
        let key = ClientKey.ed25519()
        let other = ClientKey.ed25519()
        let proof = try key.jws(header: header(key), payload: payload())
        let parts = proof.split(separator: ".")
        let forged = try other.jws(header: header(key), payload: payload())
        #expect(code(parts[0] + "." + forged.split(separator: ".")[1] + "." + parts[2]) == .badSignature)
        #expect(code(parts[0] + "." + parts[1] + "." + forged.split(separator: ".")[2]) == .badSignature)
        let ecKey = ClientKey.p256()
        #expect(code(try ecKey.jws(header: header(ecKey), payload: payload(), signature: [UInt8](repeating: 7, count: 64))) == .badSignature)
    }

    @Test("malformed and oversized proofs are refused before cryptography")
    func malformed() throws {
        #expect(code("not.a.proof") == .malformed)
        #expect(code("a.b") == .malformed)
        #expect(code(String(repeating: "a", count: 8 * 1024 + 1)) == .tooLarge)
        let key = ClientKey.p256()
        var claims = payload()
        claims["iat"] = "yesterday"
        #expect(code(try key.jws(header: header(key), payload: claims)) == .malformed)
        var header = header(key)
        header["crit"] = ["exp"]
        #expect(code(try key.jws(header: header, payload: payload())) == .malformed)
    }

    @Test("jti, htm, htu and iat are required; jti is at most 256 bytes")
    func missingClaims() throws {
        let key = ClientKey.p256()
        for claim in ["jti", "htm", "htu", "iat"] {
            var claims = payload()
            claims.removeValue(forKey: claim)
            #expect(code(try key.jws(header: header(key), payload: claims)) == .missingClaim, "\(claim)")
        }
        var claims = payload()
        claims["jti"] = String(repeating: "j", count: 257)
        #expect(code(try key.jws(header: header(key), payload: claims)) == .missingClaim)
        claims["jti"] = String(repeating: "j", count: 256)
        #expect(code(try key.jws(header: header(key), payload: claims)) == nil)
    }

    @Test("htm must be the request method")
    func method() throws {
        let key = ClientKey.p256()
        let proof = try key.jws(header: header(key), payload: payload())
        #expect(code(proof, method: "GET") == .methodMismatch)
        #expect(code(proof, method: "post") == .methodMismatch)
        #expect(code(proof, method: "POST") == nil)
    }

    @Test("htu matches the request URI without query and fragment, normalized")
    func uri() throws {
        let key = ClientKey.p256()
        let proof = try key.jws(header: header(key), payload: payload())
        #expect(code(proof, uri: Self.uri + "?client_id=webshop") == nil)
        #expect(code(proof, uri: "HTTPS://ID.Example.COM:443/oauth/token") == nil)
        var claims = payload()
        claims["htu"] = "https://id.example.com/oauth/token?x=1#fragment"
        #expect(code(try key.jws(header: header(key), payload: claims)) == nil)

        #expect(code(proof, uri: "https://id.example.com/oauth/userinfo") == .uriMismatch)
        #expect(code(proof, uri: "https://id.example.com/oauth/token/") == .uriMismatch)
        #expect(code(proof, uri: "https://other.example.com/oauth/token") == .uriMismatch)
        #expect(code(proof, uri: "http://id.example.com/oauth/token") == .uriMismatch)
        #expect(code(proof, uri: "https://id.example.com:8443/oauth/token") == .uriMismatch)
        for htu in ["/oauth/token", "https://user@id.example.com/oauth/token", "not a uri"] {
            claims["htu"] = htu
            #expect(code(try key.jws(header: header(key), payload: claims)) == .uriMismatch, "\(htu)")
        }
    }

    @Test("iat must lie within the accepted age of now, either way")
    func issuedAt() throws {
        let key = ClientKey.ed25519()
        #expect(code(try key.jws(header: header(key), payload: payload(iat: clock.now.addingTimeInterval(-60)))) == nil)
        #expect(code(try key.jws(header: header(key), payload: payload(iat: clock.now.addingTimeInterval(60)))) == nil)
        #expect(code(try key.jws(header: header(key), payload: payload(iat: clock.now.addingTimeInterval(-61)))) == .stale)
        #expect(code(try key.jws(header: header(key), payload: payload(iat: clock.now.addingTimeInterval(61)))) == .stale)
        let proof = try key.jws(header: header(key), payload: payload())
        clock.advance(by: 3_600)
        #expect(code(proof) == .stale)
    }

    @Test("ath must be the hash of the presented access token, and absent without one")
    func accessTokenHash() throws {
        let key = ClientKey.p256()
        let ath = Base64URL.encode(Array(SHA256.hash(data: Array(Self.accessToken.utf8))))
        var claims = payload()
        claims["ath"] = ath
        let bound = try key.jws(header: header(key), payload: claims)
        #expect(code(bound, accessToken: Self.accessToken) == nil)
        #expect(code(bound, accessToken: Self.accessToken + "x") == .athMismatch)
        #expect(code(bound, accessToken: nil) == .athMismatch)
        let unbound = try key.jws(header: header(key), payload: payload())
        #expect(code(unbound, accessToken: Self.accessToken) == .missingClaim)
        #expect(code(unbound, accessToken: nil) == nil)
    }

    @Test("a required nonce must be present and from the current or previous period")
    func nonces() throws {
        let key = ClientKey.p256()
        let withoutNonce = try key.jws(header: header(key), payload: payload())
        #expect(code(withoutNonce, requireNonce: true) == .useNonce)
        #expect(code(withoutNonce, requireNonce: false) == nil)

        func proof(nonce: String) throws -> String {
            var claims = payload()
            claims["nonce"] = nonce
            return try key.jws(header: header(key), payload: claims)
        }
        let nonce = verifier.makeNonce()
        #expect(code(try proof(nonce: nonce), requireNonce: true) == nil)

        // One period later the nonce is from the previous bucket: still accepted.
        clock.advance(by: 300)
        #expect(code(try proof(nonce: nonce), requireNonce: true) == nil)
        // Two periods later it is stale.
        clock.advance(by: 300)
        #expect(code(try proof(nonce: nonce), requireNonce: true) == .useNonce)
        #expect(code(try proof(nonce: verifier.makeNonce()), requireNonce: true) == nil)

        // Another key's nonce, a tampered one, and garbage are refused.
        let otherServer = DPoPProofVerifier(nonceKey: SymmetricKey(size: .bits256), now: { [clock] in clock.now })
        #expect(code(try proof(nonce: otherServer.makeNonce()), requireNonce: true) == .useNonce)
        var bytes = try #require(Base64URL.decode(verifier.makeNonce()))
        bytes[bytes.count - 1] ^= 1
        #expect(code(try proof(nonce: Base64URL.encode(bytes)), requireNonce: true) == .useNonce)
        #expect(code(try proof(nonce: "garbage"), requireNonce: true) == .useNonce)
        // A nonce from the future is not accepted either.
        let early = verifier.makeNonce()
        clock.advance(by: -600)
        #expect(code(try proof(nonce: early), requireNonce: true) == .useNonce)
    }

    @Test("a nonce is checked only after the proof itself is valid")
    func nonceComesLast() throws {
        let key = ClientKey.p256()
        var header = header(key)
        header["alg"] = "HS256"
        #expect(code(try key.jws(header: header, payload: payload()), requireNonce: true) == .unsupportedAlgorithm)
        #expect(code(try key.jws(header: self.header(key), payload: payload()), method: "GET", requireNonce: true) == .methodMismatch)
    }
}
