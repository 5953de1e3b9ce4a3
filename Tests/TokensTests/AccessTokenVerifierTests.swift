import CodedErrors
import Crypto
import Foundation
import Testing
@testable import Tokens

@Suite("Verifying access tokens")
struct AccessTokenVerifierTests {
    /// Verifies and returns the error code, or nil if the token was accepted.
    func code(_ fixture: Fixture, _ token: String) async -> TokenError.Code? {
        do {
            _ = try await fixture.verifier.verify(token)
            return nil
        } catch {
            // The error must never carry the token.
            #expect(!error.description.contains(token))
            #expect(!String(reflecting: error).contains(token))
            return error.code
        }
    }

    @Test("a hand-crafted valid token is accepted (the crafting helper is sound)")
    func craftedValid() async throws {
        let fixture = try Fixture()
        for algorithm in SigningAlgorithm.allCases {
            let token = try fixture.craft(header: fixture.validHeader(algorithm), payload: fixture.validPayload(), signWith: algorithm)
            #expect(await code(fixture, token) == nil)
        }
    }

    @Test("alg none is refused")
    func algNone() async throws {
        let fixture = try Fixture()
        var header = fixture.validHeader()
        header["alg"] = "none"
        let token = try fixture.craft(header: header, payload: fixture.validPayload(), signWith: nil)
        #expect(await code(fixture, token) == .unsupportedAlgorithm)
        // Also with a signature part present.
        let signed = try fixture.craft(header: header, payload: fixture.validPayload())
        #expect(await code(fixture, signed) == .unsupportedAlgorithm)
        header.removeValue(forKey: "alg")
        #expect(await code(fixture, try fixture.craft(header: header, payload: fixture.validPayload())) == .unsupportedAlgorithm)
    }

    @Test("HS256 keyed with our public key bytes (algorithm confusion) is refused", arguments: ["HS256", "hs256", "ES384", "RS256", "ES256K"])
    func algorithmConfusion(alg: String) async throws {
        let fixture = try Fixture()
        var header = fixture.validHeader()
        header["alg"] = alg
        let input = try fixture.encodePart(header) + "." + fixture.encodePart(fixture.validPayload())
        // The classic attack: HMAC with the verifier's public key as the secret.
        let publicKeyBytes: Data
        switch fixture.key(.es256).publicKey {
        case .es256(let key): publicKeyBytes = Data(key.pemRepresentation.utf8)
        case .edDSA(let key): publicKeyBytes = key.rawRepresentation
        }
        let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: publicKeyBytes))
        let token = input + "." + Base64URL.encode(Array(mac))
        #expect(await code(fixture, token) == .unsupportedAlgorithm)
    }

    @Test("a key is used only with its own algorithm")
    func algorithmMismatch() async throws {
        let fixture = try Fixture()
        var header = fixture.validHeader(.es256)
        header["alg"] = "EdDSA"  // ES256 key, EdDSA claimed
        #expect(await code(fixture, try fixture.craft(header: header, payload: fixture.validPayload(), signWith: .edDSA)) == .algorithmMismatch)
        header = fixture.validHeader(.edDSA)
        header["alg"] = "ES256"
        #expect(await code(fixture, try fixture.craft(header: header, payload: fixture.validPayload(), signWith: .es256)) == .algorithmMismatch)
    }

    @Test("an unknown or missing kid is refused")
    func unknownKid() async throws {
        let fixture = try Fixture()
        var header = fixture.validHeader()
        header["kid"] = "not-one-of-ours"
        #expect(await code(fixture, try fixture.craft(header: header, payload: fixture.validPayload())) == .unknownKey)
        header.removeValue(forKey: "kid")
        #expect(await code(fixture, try fixture.craft(header: header, payload: fixture.validPayload())) == .unknownKey)
        header["kid"] = 42
        #expect(await code(fixture, try fixture.craft(header: header, payload: fixture.validPayload())) == .malformed)
    }

    @Test("headers that point at keys, or crit, are refused", arguments: ["jku", "x5u", "jwk", "x5c", "crit"])
    func forbiddenHeaders(name: String) async throws {
        let fixture = try Fixture()
        var header = fixture.validHeader()
        header[name] = name == "jwk" ? ["kty": "oct", "k": "AAAA"] as [String: Any] : (name == "x5c" || name == "crit" ? ["exp"] : "https://evil.example/keys")
        #expect(await code(fixture, try fixture.craft(header: header, payload: fixture.validPayload())) == .forbiddenHeader)
    }

    @Test("a wrong or missing typ is refused", arguments: ["JWT", "at+JWT", "jwt", "application/jwt", "AT+JWT ", "", nil] as [String?])
    func wrongType(typ: String?) async throws {
        let fixture = try Fixture()
        var header = fixture.validHeader()
        header["typ"] = typ
        #expect(await code(fixture, try fixture.craft(header: header, payload: fixture.validPayload())) == .wrongType)
    }

    @Test("application/at+jwt is accepted in any case", arguments: ["application/at+jwt", "Application/AT+JWT"])
    func mediaType(typ: String) async throws {
        let fixture = try Fixture()
        var header = fixture.validHeader()
        header["typ"] = typ
        #expect(await code(fixture, try fixture.craft(header: header, payload: fixture.validPayload())) == nil)
    }

    @Test("expiry is enforced with the leeway")
    func expired() async throws {
        let fixture = try Fixture()
        var payload = fixture.validPayload()
        let now = Int(fixture.clock.now.timeIntervalSince1970)
        payload["exp"] = now - 31
        #expect(await code(fixture, try fixture.craft(header: fixture.validHeader(), payload: payload)) == .expired)
        payload["exp"] = now - 29  // within the 30 s leeway
        #expect(await code(fixture, try fixture.craft(header: fixture.validHeader(), payload: payload)) == nil)
    }

    @Test("nbf and iat in the future are refused beyond the leeway")
    func notYetValid() async throws {
        let fixture = try Fixture()
        let now = Int(fixture.clock.now.timeIntervalSince1970)
        var payload = fixture.validPayload()
        payload["nbf"] = now + 60
        #expect(await code(fixture, try fixture.craft(header: fixture.validHeader(), payload: payload)) == .notYetValid)
        payload["nbf"] = now + 20
        #expect(await code(fixture, try fixture.craft(header: fixture.validHeader(), payload: payload)) == nil)
        payload = fixture.validPayload()
        payload["iat"] = now + 120
        #expect(await code(fixture, try fixture.craft(header: fixture.validHeader(), payload: payload)) == .notYetValid)
    }

    @Test("a wrong issuer is refused")
    func wrongIssuer() async throws {
        let fixture = try Fixture()
        var payload = fixture.validPayload()
        payload["iss"] = "https://sso.example.com/"
        #expect(await code(fixture, try fixture.craft(header: fixture.validHeader(), payload: payload)) == .wrongIssuer)
    }

    @Test("a wrong audience is refused, single or array")
    func wrongAudience() async throws {
        let fixture = try Fixture()
        var payload = fixture.validPayload()
        payload["aud"] = "https://other.example.com"
        #expect(await code(fixture, try fixture.craft(header: fixture.validHeader(), payload: payload)) == .wrongAudience)
        payload["aud"] = ["https://other.example.com", "x"]
        #expect(await code(fixture, try fixture.craft(header: fixture.validHeader(), payload: payload)) == .wrongAudience)
        payload["aud"] = ["https://other.example.com", audience]
        #expect(await code(fixture, try fixture.craft(header: fixture.validHeader(), payload: payload)) == nil)
    }

    @Test("missing required claims make the token malformed", arguments: ["iss", "sub", "aud", "exp", "iat", "jti", "client_id"])
    func missingClaim(name: String) async throws {
        let fixture = try Fixture()
        var payload = fixture.validPayload()
        payload.removeValue(forKey: name)
        #expect(await code(fixture, try fixture.craft(header: fixture.validHeader(), payload: payload)) == .malformed)
    }

    @Test("a changed payload byte breaks the signature", arguments: SigningAlgorithm.allCases)
    func changedPayload(algorithm: SigningAlgorithm) async throws {
        let fixture = try Fixture()
        let token = try await fixture.signer.issueAccessToken(
            subject: "customer-1", audience: [audience], clientID: "c", scope: ["read"], lifetime: .seconds(60), algorithm: algorithm
        ).token
        var parts = token.split(separator: ".").map(String.init)
        // Re-encode the payload with one JSON byte changed, so only the signature can catch it.
        var payload = try #require(Base64URL.decode(parts[1]))
        let index = try #require(payload.firstIndex(of: UInt8(ascii: "1")))  // inside "customer-1"
        payload[index] = UInt8(ascii: "2")
        parts[1] = Base64URL.encode(payload)
        #expect(await code(fixture, parts.joined(separator: ".")) == .badSignature)
        // And a flipped character in the middle of the encoded payload.
        var characters = Array(token)
        let middle = token.distance(from: token.startIndex, to: token.firstIndex(of: ".")!) + 10
        characters[middle] = characters[middle] == "A" ? "B" : "A"
        #expect(await code(fixture, String(characters)) == .badSignature)
        // The original still verifies.
        #expect(await code(fixture, token) == nil)
    }

    @Test("truncated tokens are refused")
    func truncated() async throws {
        let fixture = try Fixture()
        let token = try await fixture.signer.issueAccessToken(
            subject: "s", audience: [audience], clientID: "c", scope: [], lifetime: .seconds(60)
        ).token
        let withoutSignature = String(token[..<token.lastIndex(of: ".")!])
        #expect(await code(fixture, withoutSignature) == .malformed)
        #expect(await code(fixture, withoutSignature + ".") == .badSignature)
        // A signature three bytes short (canonical encoding, wrong length).
        let signature = try #require(Base64URL.decode(String(token[token.index(after: token.lastIndex(of: ".")!)...])))
        #expect(await code(fixture, withoutSignature + "." + Base64URL.encode(signature.dropLast(3))) == .badSignature)
        #expect(await code(fixture, String(token.dropLast(1))) == .malformed)  // not canonical base64url
        #expect(await code(fixture, String(token.prefix(20))) == .malformed)
        #expect(await code(fixture, "") == .malformed)
        #expect(await code(fixture, "a.b.c.d") == .malformed)
        #expect(await code(fixture, token + ".") == .malformed)
    }

    @Test("garbage in any part is malformed, not a crash")
    func garbage() async throws {
        let fixture = try Fixture()
        #expect(await code(fixture, "..") == .malformed)
        #expect(await code(fixture, "e30.e30.e30") == .wrongType)  // {} header
        #expect(await code(fixture, "W10.e30.") == .malformed)  // [] header
        #expect(await code(fixture, "eyJ=.e30.") == .malformed)  // padding
        #expect(await code(fixture, "éé.e30.") == .malformed)
        let header = try fixture.encodePart(fixture.validHeader())
        #expect(await code(fixture, header + ".bm90IGpzb24." + "AAAA") == .badSignature)
    }

    @Test("a 1 MB token is refused as too large before any parsing")
    func tooLarge() async throws {
        let fixture = try Fixture()
        let huge = String(repeating: "A", count: 1 << 20)
        #expect(await code(fixture, huge) == .tooLarge)
        #expect(await code(fixture, "\(huge).\(huge).\(huge)") == .tooLarge)
        // A validly signed token just over 8 KiB is refused too.
        var payload = fixture.validPayload()
        payload["pad"] = String(repeating: "x", count: 6200)
        let token = try fixture.craft(header: fixture.validHeader(), payload: payload)
        #expect(token.utf8.count > 8192)
        #expect(await code(fixture, token) == .tooLarge)
    }

    @Test("errors compare by code and describe without the token")
    func errorShape() {
        #expect(TokenError(.expired, reason: "a") == TokenError(.expired, reason: "b"))
        #expect(TokenError.expired != TokenError.badSignature)
        #expect(TokenError.expired.description == "TokenError.expired: token expired")
    }
}
