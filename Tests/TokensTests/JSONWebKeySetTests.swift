import Foundation
import Testing
@testable import Tokens

@Suite("JWKS")
struct JSONWebKeySetTests {
    @Test("the JWKS holds the public members of every key and never a private member")
    func publicMembersOnly() throws {
        let fixture = try Fixture()
        let json = try JSONEncoder().encode(fixture.keys.jwks)
        let document = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(Array(document.keys) == ["keys"])
        let keys = try #require(document["keys"] as? [[String: Any]])
        #expect(keys.count == 2)

        let privateMembers: Set<String> = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]
        for key in keys {
            #expect(Set(key.keys).isDisjoint(with: privateMembers))
            #expect(key["use"] as? String == "sig")
            let kid = try #require(key["kid"] as? String)
            #expect(fixture.keys.keys.contains { $0.kid == kid })
            switch key["alg"] as? String {
            case "ES256":
                #expect(Set(key.keys) == ["kty", "crv", "x", "y", "kid", "alg", "use"])
                #expect(key["kty"] as? String == "EC")
                #expect(key["crv"] as? String == "P-256")
                #expect(Base64URL.decode(try #require(key["x"] as? String))?.count == 32)
                #expect(Base64URL.decode(try #require(key["y"] as? String))?.count == 32)
            case "EdDSA":
                #expect(Set(key.keys) == ["kty", "crv", "x", "kid", "alg", "use"])
                #expect(key["kty"] as? String == "OKP")
                #expect(key["crv"] as? String == "Ed25519")
                #expect(Base64URL.decode(try #require(key["x"] as? String))?.count == 32)
            default:
                Issue.record("unexpected alg")
            }
        }
        // Belt and braces: the serialized text has no "d" member anywhere.
        #expect(!String(decoding: json, as: UTF8.self).contains("\"d\""))
    }

    @Test("the JWKS round-trips through JSON")
    func roundTrip() throws {
        let fixture = try Fixture()
        let data = try JSONEncoder().encode(fixture.keys.jwks)
        #expect(try JSONDecoder().decode(JSONWebKeySet.self, from: data) == fixture.keys.jwks)
    }
}
