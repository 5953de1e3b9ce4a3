import CodedErrors
import Crypto
import Foundation
import Testing
@testable import Tokens

@Suite("Verifying client assertions (private_key_jwt)")
struct ClientAssertionVerifierTests {
    static let tokenEndpoint = "https://id.example.com/oauth/token"
    static let issuer = "https://id.example.com"
    static let audiences: Set<String> = [tokenEndpoint, issuer]

    let clock = TestClock(Date(timeIntervalSince1970: 1_750_000_000))
    let verifier: ClientAssertionVerifier
    let ecKey = ClientKey.p256()
    let edKey = ClientKey.ed25519()
    let keys: JSONWebKeySet

    init() {
        let clock = clock
        verifier = ClientAssertionVerifier(now: { clock.now })
        keys = JSONWebKeySet(keys: [ecKey.registered(kid: "pos-ec-1"), edKey.registered(kid: "pos-ed-1")])
    }

    func header(_ key: ClientKey, kid: String?) -> [String: Any] {
        var header: [String: Any] = ["alg": key.algorithm, "typ": "JWT"]
        if let kid { header["kid"] = kid }
        return header
    }

    func claims(lifetime: TimeInterval = 60) -> [String: Any] {
        [
            "iss": "pos", "sub": "pos", "aud": Self.tokenEndpoint, "jti": UUID().uuidString,
            "iat": Int(clock.now.timeIntervalSince1970), "exp": Int(clock.now.timeIntervalSince1970 + lifetime),
        ]
    }

    func assertion(_ key: ClientKey? = nil, kid: String? = "pos-ec-1", header: [String: Any]? = nil, claims: [String: Any]? = nil) throws -> String {
        let key = key ?? ecKey
        return try key.jws(header: header ?? self.header(key, kid: kid), payload: claims ?? self.claims())
    }

    /// Verifies and returns the error code, or nil when the assertion was accepted.
    func code(_ assertion: String, clientID: String = "pos", keys: JSONWebKeySet? = nil) -> ClientAssertionError.Code? {
        do {
            _ = try verifier.verify(assertion, clientID: clientID, keys: keys ?? self.keys, audiences: Self.audiences)
            return nil
        } catch {
            #expect(!error.description.contains(assertion))
            #expect(!String(reflecting: error).contains(assertion))
            return error.code
        }
    }

    @Test("valid assertions are accepted with their jti and exp")
    func valid() throws {
        var body = claims()
        body["jti"] = "assertion-1"
        let verified = try verifier.verify(try assertion(claims: body), clientID: "pos", keys: keys, audiences: Self.audiences)
        #expect(verified == ClientAssertion(jti: "assertion-1", expiresAt: clock.now.addingTimeInterval(60)))

        #expect(code(try assertion(edKey, kid: "pos-ed-1")) == nil)
        // aud as an array naming the issuer; no typ; no iat.
        body = claims()
        body["aud"] = ["https://elsewhere.example", Self.issuer]
        body.removeValue(forKey: "iat")
        #expect(code(try assertion(header: ["alg": "ES256", "kid": "pos-ec-1"], claims: body)) == nil)
        // The explicit type of RFC 7523bis.
        #expect(code(try assertion(header: ["alg": "ES256", "kid": "pos-ec-1", "typ": "client-authentication+jwt"])) == nil)
        // Without kid: the only key of alg's type.
        #expect(code(try assertion(kid: nil)) == nil)
        #expect(code(try assertion(edKey, kid: nil)) == nil)
    }

    @Test("a JWKS as the policy reader writes it decodes and verifies")
    func policyShapedKeys() throws {
        let jwk = ecKey.publicJWK
        let json = #"{"keys":[{"alg":"ES256","crv":"P-256","kid":"pos-ec-1","kty":"EC","use":"sig","x":"\#(jwk["x"]!)","y":"\#(jwk["y"]!)"}]}"#
        let decoded = try JSONDecoder().decode(JSONWebKeySet.self, from: Data(json.utf8))
        #expect(code(try assertion(), keys: decoded) == nil)
    }

    @Test("iss and sub must both be the client id")
    func issuerAndSubject() throws {
        var body = claims()
        body["iss"] = "webshop"
        #expect(code(try assertion(claims: body)) == .wrongIssuer)
        body = claims()
        body["sub"] = "webshop"
        #expect(code(try assertion(claims: body)) == .wrongSubject)
        #expect(code(try assertion(), clientID: "webshop") == .wrongIssuer)
    }

    @Test("aud must name the token endpoint or the issuer")
    func audience() throws {
        for audience: Any in ["https://other.example.com/token", ["https://other.example.com"], [String](), Self.issuer + "/"] {
            var body = claims()
            body["aud"] = audience
            #expect(code(try assertion(claims: body)) == .wrongAudience, "\(audience)")
        }
        var body = claims()
        body["aud"] = 42
        #expect(code(try assertion(claims: body)) == .malformed)
    }

    @Test("exp must be present, in the future and at most ten minutes ahead")
    func expiry() throws {
        #expect(code(try assertion(claims: claims(lifetime: 0))) == .expired)
        #expect(code(try assertion(claims: claims(lifetime: -30))) == .expired)
        #expect(code(try assertion(claims: claims(lifetime: 600))) == nil)
        #expect(code(try assertion(claims: claims(lifetime: 601))) == .lifetimeTooLong)
        #expect(code(try assertion(claims: claims(lifetime: 86_400))) == .lifetimeTooLong)
        var body = claims()
        body.removeValue(forKey: "exp")
        #expect(code(try assertion(claims: body)) == .missingClaim)

        let made = try assertion()
        clock.advance(by: 61)
        #expect(code(made) == .expired)
    }

    @Test("iat and nbf may not lie in the future beyond the leeway")
    func notYetValid() throws {
        var body = claims()
        body["iat"] = Int(clock.now.timeIntervalSince1970 + 61)
        #expect(code(try assertion(claims: body)) == .notYetValid)
        body["iat"] = Int(clock.now.timeIntervalSince1970 + 60)
        #expect(code(try assertion(claims: body)) == nil)
        body = claims()
        body["nbf"] = Int(clock.now.timeIntervalSince1970 + 120)
        #expect(code(try assertion(claims: body)) == .notYetValid)
        body["nbf"] = Int(clock.now.timeIntervalSince1970 - 10)
        #expect(code(try assertion(claims: body)) == nil)
    }

    @Test("iss, sub, aud and jti are required; jti is at most 256 bytes")
    func missingClaims() throws {
        for claim in ["iss", "sub", "aud", "jti"] {
            var body = claims()
            body.removeValue(forKey: claim)
            #expect(code(try assertion(claims: body)) == .missingClaim, "\(claim)")
        }
        var body = claims()
        body["jti"] = ""
        #expect(code(try assertion(claims: body)) == .missingClaim)
        body["jti"] = String(repeating: "j", count: 257)
        #expect(code(try assertion(claims: body)) == .missingClaim)
    }

    @Test("the key is chosen by kid, never by the assertion")
    func keySelection() throws {
        #expect(code(try assertion(kid: "pos-ec-2")) == .unknownKey)
        // kid names the Ed25519 key but alg says ES256, and the other way round.
        #expect(code(try assertion(kid: "pos-ed-1")) == .unknownKey)
        #expect(code(try assertion(edKey, kid: "pos-ec-1")) == .unknownKey)
        // Without kid and two keys of the type: ambiguous.
        let twoEC = JSONWebKeySet(keys: keys.keys + [ClientKey.p256().registered(kid: "pos-ec-2")])
        #expect(code(try assertion(kid: nil), keys: twoEC) == .unknownKey)
        #expect(code(try assertion(kid: "pos-ec-1"), keys: twoEC) == nil)
        // A key not registered for signing is not used.
        var encryption = ecKey.registered(kid: "pos-ec-1")
        encryption.use = "enc"
        #expect(code(try assertion(), keys: JSONWebKeySet(keys: [encryption])) == .unknownKey)
        #expect(code(try assertion(), keys: JSONWebKeySet(keys: [])) == .unknownKey)
    }

    @Test("headers that bring their own key are refused", arguments: ["jku", "x5u", "jwk", "x5c", "crit"])
    func forbiddenHeaders(name: String) throws {
        var header = header(ecKey, kid: "pos-ec-1")
        header[name] = name == "jwk" ? ecKey.publicJWK as Any : "https://attacker.example/keys" as Any
        #expect(code(try assertion(header: header)) == .forbiddenHeader)
    }

    @Test("alg none, HMAC and RSA are refused; other JWT types are refused")
    func algorithmsAndTypes() throws {
        for algorithm in ["none", "HS256", "RS256"] {
            var header = header(ecKey, kid: "pos-ec-1")
            header["alg"] = algorithm
            #expect(code(try assertion(header: header)) == .unsupportedAlgorithm, "\(algorithm)")
        }
        for type in ["at+jwt", "dpop+jwt", "logout+jwt"] {
            var header = header(ecKey, kid: "pos-ec-1")
            header["typ"] = type
            #expect(code(try assertion(header: header)) == .wrongType, "\(type)")
        }
    }

    @Test("a bad signature, a malformed or an oversized assertion is refused")
    func badInput() throws {
        let forged = try ClientKey.p256().jws(header: header(ecKey, kid: "pos-ec-1"), payload: claims())
        #expect(code(forged) == .badSignature)
        #expect(code("a.b.c") == .malformed)
        #expect(code(String(repeating: "a", count: 8 * 1024 + 1)) == .tooLarge)
    }
}
