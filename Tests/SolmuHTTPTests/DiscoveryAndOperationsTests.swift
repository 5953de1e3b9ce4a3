import Foundation
import Hummingbird
import HummingbirdTesting
import SolmuHTTP
import Testing
import Tokens
import NIOFoundationEssentialsCompat
import NIOCore

struct DiscoveryAndOperationsTests {
    let harness = try! TestHarness()

    @Test func discoveryTellsTheTruth() async throws {
        try await harness.test { client in
            let response = try await client.execute(uri: "/.well-known/openid-configuration", method: .get)
            #expect(response.status == .ok)
            let json = response.json
            #expect(json["issuer"] as? String == TestHarness.issuer)
            #expect(json["token_endpoint"] as? String == "\(TestHarness.issuer)/oauth/token")
            #expect(json["jwks_uri"] as? String == "\(TestHarness.issuer)/.well-known/jwks.json")
            #expect(Set(json["grant_types_supported"] as? [String] ?? []) == ["authorization_code", "refresh_token", "client_credentials"])
            #expect(Set(json["token_endpoint_auth_methods_supported"] as? [String] ?? []) == ["client_secret_basic", "client_secret_post", "none"])
            #expect(json["subject_types_supported"] as? [String] == ["public"])
            #expect(Set(json["id_token_signing_alg_values_supported"] as? [String] ?? []) == ["ES256", "EdDSA"])
            #expect(json["grant_types_supported"].map { "\($0)" }?.contains("token-exchange") == false, "token exchange is not offered before it exists")
            let twin = try await client.execute(uri: "/.well-known/oauth-authorization-server", method: .get)
            #expect(twin.text == response.text)
        }
    }

    @Test func jwksHasOnePublicKeyPerAlgorithmAndNoPrivateMembers() async throws {
        try await harness.test { client in
            let response = try await client.execute(uri: "/.well-known/jwks.json", method: .get)
            let keys = try #require(response.json["keys"] as? [[String: Any]])
            #expect(Set(keys.compactMap { $0["alg"] as? String }) == ["ES256", "EdDSA"])
            for key in keys {
                #expect(key["d"] == nil)
                #expect(key["kid"] is String)
                #expect(key["use"] as? String == "sig")
            }
        }
    }

    @Test func healthMetricsAndOpenAPI() async throws {
        try await harness.test { client in
            #expect(try await client.execute(uri: "/health/live", method: .get).status == .ok)
            let ready = try await client.execute(uri: "/health/ready", method: .get)
            #expect(ready.status == .ok)
            #expect(ready.json["status"] as? String == "ok")
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            let openAPI = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(openAPI.status == .ok)
            let served = openAPI.text
            let documented = try String(contentsOf: TestHarness.repository.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
            #expect(served == documented, "docs/openapi.yaml and the served document are the same file")
            #expect(served.contains("openapi: 3.1"))
            for path in ["/v1/customers:", "/v1/links:", "/v1/resolve:", "/v1/customers/{id}:", "/v1/link-log:", "/oauth/token:",
                         "/.well-known/openid-configuration:", "/.well-known/jwks.json:", "/health/live:", "/health/ready:", "/metrics:"] {
                #expect(served.contains(path), "the OpenAPI document describes \(path)")
            }
        }
    }
}
