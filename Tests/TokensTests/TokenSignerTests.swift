import Foundation
import Testing
@testable import Tokens

@Suite("Issuing access tokens")
struct TokenSignerTests {
    @Test("issue then verify round-trips", arguments: SigningAlgorithm.allCases)
    func roundTrip(algorithm: SigningAlgorithm) async throws {
        let fixture = try Fixture()
        let (token, claims) = try await fixture.signer.issueAccessToken(
            subject: "customer-42", audience: [audience], clientID: "web-shop",
            scope: ["openid", "profile"], lifetime: .seconds(300), algorithm: algorithm
        )
        let header = try jsonPart(token, 0)
        #expect(header["typ"] as? String == "at+jwt")
        #expect(header["alg"] as? String == algorithm.rawValue)
        #expect(header["kid"] as? String == fixture.keys.activeKey(for: algorithm)?.kid)
        #expect(Set(header.keys) == ["typ", "alg", "kid"])

        let payload = try jsonPart(token, 1)
        #expect(Set(payload.keys) == ["iss", "sub", "aud", "exp", "iat", "jti", "scope", "client_id"])
        #expect(payload["aud"] as? String == audience)  // a single audience is a string
        #expect(payload["scope"] as? String == "openid profile")
        #expect(payload["iss"] as? String == issuer)
        #expect((payload["exp"] as? Int).map { $0 - (payload["iat"] as? Int ?? 0) } == 300)
        #expect(Base64URL.decode(try #require(payload["jti"] as? String))?.count == 16)

        #expect(claims.issuedAt == Date(timeIntervalSince1970: fixture.clock.now.timeIntervalSince1970.rounded(.down)))
        #expect(claims.subject == "customer-42")
        #expect(try await fixture.verifier.verify(token) == claims)
    }

    @Test("ES256 is the default")
    func defaultAlgorithm() async throws {
        let fixture = try Fixture()
        let token = try await fixture.signer.issueAccessToken(
            subject: "s", audience: [audience], clientID: "c", scope: [], lifetime: .seconds(60)
        ).token
        #expect(try jsonPart(token, 0)["alg"] as? String == "ES256")
        #expect(try jsonPart(token, 1)["scope"] == nil)
    }

    @Test("several audiences are an array")
    func multipleAudiences() async throws {
        let fixture = try Fixture()
        let (token, claims) = try await fixture.signer.issueAccessToken(
            subject: "s", audience: ["https://other.example.com", audience], clientID: "c", scope: ["a"], lifetime: .seconds(60)
        )
        #expect(try jsonPart(token, 1)["aud"] as? [String] == ["https://other.example.com", audience])
        #expect(try await fixture.verifier.verify(token).audience == claims.audience)
    }

    @Test("each token gets a fresh jti")
    func uniqueTokenIDs() async throws {
        let fixture = try Fixture()
        var seen = Set<String>()
        for _ in 0..<50 {
            let claims = try await fixture.signer.issueAccessToken(
                subject: "s", audience: [audience], clientID: "c", scope: [], lifetime: .seconds(60)
            ).claims
            seen.insert(claims.tokenID)
        }
        #expect(seen.count == 50)
    }

    @Test("unusable arguments are refused")
    func invalidArguments() async throws {
        let fixture = try Fixture()
        await #expect(throws: TokenError.invalidClaims) {
            try await fixture.signer.issueAccessToken(subject: "s", audience: [], clientID: "c", scope: [], lifetime: .seconds(60))
        }
        await #expect(throws: TokenError.invalidClaims) {
            try await fixture.signer.issueAccessToken(subject: "s", audience: [audience], clientID: "c", scope: [], lifetime: .zero)
        }
        await #expect(throws: TokenError.invalidClaims) {
            try await fixture.signer.issueAccessToken(subject: "s", audience: [audience], clientID: "c", scope: ["a b"], lifetime: .seconds(60))
        }
    }

    @Test("claims encode with RFC 9068 names and decode back")
    func claimsCoding() throws {
        let claims = AccessTokenClaims(
            issuer: issuer, subject: "s", audience: ["a", "b"], expiresAt: Date(timeIntervalSince1970: 2000),
            issuedAt: Date(timeIntervalSince1970: 1000), tokenID: "j", scope: ["x", "y"], clientID: "c"
        )
        let data = try JSONEncoder().encode(claims)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["exp"] as? Int == 2000)
        #expect(object["client_id"] as? String == "c")
        #expect(try JSONDecoder().decode(AccessTokenClaims.self, from: data) == claims)
    }
}

/// Access tokens are signed over hand-written JSON; it must be exactly what `JSONEncoder` writes.
@Suite("Hand-written token JSON")
struct HandWrittenTokenJSONTests {
    static func encoded(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    @Test("access token claims match JSONEncoder byte for byte")
    func claims() throws {
        let tricky = ["webshop", "quote\"back\\slash", "tab\tnew\nline\u{01}\u{1F}", "ääkköset/ü€", "https://sso.example.com/path", ""]
        for text in tricky {
            var claims = AccessTokenClaims(
                issuer: "https://sso.example.com", subject: "cus_\(text)", audience: ["https://api.example.com/v1"],
                expiresAt: Date(timeIntervalSince1970: 1_790_000_300.9), issuedAt: Date(timeIntervalSince1970: 1_790_000_000.2),
                tokenID: "jti-\(text)", scope: ["identity:resolve", "identity:link"], clientID: text
            )
            #expect(claims.json == (try Self.encoded(claims)))
            claims.audience = ["webshop", text, "https://api.example.com/v1"]
            claims.scope = []
            claims.contextClass = "urn:solmu:acr:\(text)"
            claims.confirmationKey = "thumb/\(text)"
            claims.actor = .init(subject: "agent-\(text)", clientID: nil, actor: .init(subject: "app", clientID: text, actor: nil))
            #expect(claims.json == (try Self.encoded(claims)), "\(String(decoding: claims.json, as: UTF8.self))")
            claims.actor = .init(subject: text, clientID: "callcenter", actor: nil)
            claims.issuedAt = Date(timeIntervalSince1970: 0)
            #expect(claims.json == (try Self.encoded(claims)))
        }
    }

    @Test("the JOSE header matches JSONEncoder byte for byte")
    func header() throws {
        struct Header: Encodable { var alg, kid, typ: String }
        for (alg, kid, typ) in [("ES256", "k1", "at+jwt"), ("EdDSA", "a/b\"c", "logout+jwt")] {
            #expect(TokenSigner.header(alg: alg, kid: kid, typ: typ) == (try Self.encoded(Header(alg: alg, kid: kid, typ: typ))))
        }
    }
}
