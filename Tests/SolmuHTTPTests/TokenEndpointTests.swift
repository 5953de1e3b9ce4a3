import Foundation
import Hummingbird
import HummingbirdTesting
import SolmuHTTP
import Testing
import Tokens
import NIOFoundationEssentialsCompat
import NIOCore
import Tokens

@Suite("POST /oauth/token")
struct TokenEndpointTests {
    let harness = try! TestHarness()

    @Test func clientCredentialsWithBasicIssuesAVerifiableAccessToken() async throws {
        try await harness.test { client in
            let response = try await client.form("/oauth/token", "grant_type=client_credentials",
                                                 headers: [.authorization: basic("webshop", "webshop-dev-secret")])
            #expect(response.status == .ok)
            #expect(response.headers[.cacheControl] == "no-store")
            let json = response.json
            #expect(json["token_type"] as? String == "Bearer")
            #expect(json["expires_in"] as? Int == 900)
            #expect(json["scope"] as? String == "identity:link identity:read identity:resolve")
            let token = try #require(json["access_token"] as? String)
            let claims = try await harness.services.verifier.verify(token)
            #expect(claims.subject == "webshop")
            #expect(claims.clientID == "webshop")
            #expect(claims.audience == [harness.services.apiAudience])
            #expect(claims.issuer == TestHarness.issuer)
            #expect(claims.scope.sorted() == ["identity:link", "identity:read", "identity:resolve"])
            // RFC 9068: the header says at+jwt.
            let header = try #require(token.split(separator: ".").first)
            let headerJSON = try #require(Data(base64Encoded: String(header).base64URLPadded))
            #expect(String(decoding: headerJSON, as: UTF8.self).contains("at+jwt"))
        }
    }

    @Test func clientSecretPostAndScopeNarrowing() async throws {
        try await harness.test { client in
            let response = try await client.form("/oauth/token", "grant_type=client_credentials&client_id=pos&client_secret=pos-dev-secret&scope=identity%3Aresolve")
            #expect(response.status == .ok)
            #expect(response.json["scope"] as? String == "identity:resolve")
        }
    }

    @Test(arguments: [
        ("grant_type=client_credentials&client_id=pos&client_secret=wrong", "invalid_client", 401),
        ("grant_type=client_credentials&client_id=nobody&client_secret=x", "invalid_client", 401),
        ("grant_type=client_credentials", "invalid_client", 401),
        ("grant_type=client_credentials&client_id=mobile-app&client_secret=x", "invalid_client", 401),
        ("client_id=pos&client_secret=pos-dev-secret", "invalid_request", 400),
        ("grant_type=password&client_id=pos&client_secret=pos-dev-secret", "unsupported_grant_type", 400),
        ("grant_type=authorization_code&client_id=pos&client_secret=pos-dev-secret&code=x", "unauthorized_client", 400),
        ("grant_type=urn:ietf:params:oauth:grant-type:token-exchange&client_id=marketing&client_secret=marketing-dev-secret", "unauthorized_client", 400),
        ("grant_type=refresh_token&client_id=pos&client_secret=pos-dev-secret&refresh_token=abc", "unauthorized_client", 400),
        ("grant_type=client_credentials&client_id=pos&client_secret=pos-dev-secret&scope=identity%3Aread", "invalid_scope", 400),
        ("grant_type=client_credentials&client_id=pos&client_secret=pos-dev-secret&scope=admin", "invalid_scope", 400),
        ("grant_type=client_credentials&grant_type=client_credentials&client_id=pos&client_secret=pos-dev-secret", "invalid_request", 400),
        ("grant_type=client_credentials&client_id=pos&client_secret=%ZZ", "invalid_request", 400),
    ])
    func refusalsUseTheOAuthErrorFormat(body: String, error: String, status: Int) async throws {
        try await harness.test { client in
            let response = try await client.form("/oauth/token", body)
            #expect(Int(response.status.code) == status)
            #expect(response.json["error"] as? String == error)
            #expect(response.json["error_description"] is String)
            #expect(!response.text.contains("pos-dev-secret"))
        }
    }

    @Test func wrongBasicCredentialsGetAChallenge() async throws {
        try await harness.test { client in
            let response = try await client.form("/oauth/token", "grant_type=client_credentials",
                                                 headers: [.authorization: basic("webshop", "nope")])
            #expect(response.status == .unauthorized)
            #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)
            let both = try await client.form("/oauth/token", "grant_type=client_credentials&client_secret=webshop-dev-secret",
                                             headers: [.authorization: basic("webshop", "webshop-dev-secret")])
            #expect(both.json["error"] as? String == "invalid_request")
        }
    }

    @Test func theTokenEndpointWantsAForm() async throws {
        try await harness.test { client in
            let response = try await client.json(.post, "/oauth/token", token: nil, body: #"{"grant_type":"client_credentials"}"#)
            #expect(response.status == .badRequest)
            #expect(response.json["error"] as? String == "invalid_request")
        }
    }
}

extension String {
    var base64URLPadded: String {
        var text = replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        return text
    }
}
