import Foundation
import Identifiers
import IdentityGraph
import Hummingbird
import HummingbirdTesting
@testable import SolmuHTTP
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
            #expect(Set(json["grant_types_supported"] as? [String] ?? []) == ["authorization_code", "refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange"])
            #expect(Set(json["token_endpoint_auth_methods_supported"] as? [String] ?? []) == ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"])
            #expect(json["subject_types_supported"] as? [String] == ["public"])
            #expect(Set(json["id_token_signing_alg_values_supported"] as? [String] ?? []) == ["ES256", "EdDSA"])
            #expect(json["introspection_endpoint"] as? String == "\(TestHarness.issuer)/oauth/introspect")
            #expect(json["revocation_endpoint"] as? String == "\(TestHarness.issuer)/oauth/revoke")
            // RFC 8414 §2: an endpoint that lists private_key_jwt also lists its signing algorithms.
            for endpoint in ["token_endpoint", "introspection_endpoint", "revocation_endpoint"] {
                let methods = json["\(endpoint)_auth_methods_supported"] as? [String] ?? []
                #expect(methods.contains("private_key_jwt"), "\(endpoint)")
                #expect(Set(json["\(endpoint)_auth_signing_alg_values_supported"] as? [String] ?? []) == ["ES256", "EdDSA"], "\(endpoint)")
            }
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

struct RFC3339Tests {
    @Test(arguments: [
        (0, "1970-01-01T00:00:00.000Z"), (951_782_400_999, "2000-02-29T00:00:00.999Z"), (1_790_000_000_123, "2026-09-21T14:13:20.123Z"),
        (4_102_444_799_500, "2099-12-31T23:59:59.500Z"), (68_169_600_001, "1972-02-29T00:00:00.001Z"), (-1, "1969-12-31T23:59:59.999Z"),
    ] as [(Int64, String)])
    func formatsMilliseconds(millis: Int64, expected: String) {
        // To the nearest millisecond, like the stores: a time read back from a store (whole
        // milliseconds, not exact in binary) keeps its millisecond, which the log's leaves need.
        #expect(JSONCoding.rfc3339(Date(timeIntervalSince1970: Double(millis) / 1000)) == expected)
        #expect(JSONCoding.rfc3339(Date(timeIntervalSince1970: (Double(millis) + 0.4) / 1000)) == expected)
        #expect(JSONCoding.rfc3339(Date(timeIntervalSince1970: (Double(millis) - 0.4) / 1000)) == expected)
    }
}

struct JSONWriterTests {
    @Test func resolveResponsesMatchTheGeneralEncoder() throws {
        let id = CustomerID.random()
        let tricky = ["anna@example.com", "quote\"back\\slash", "tab\tnew\nline\u{01}", "ääkköset@esimerkki.fi", "slash/ok", ""]
        for value in tricky {
            let links = [
                Link(identifier: Identifier(trustedKind: .email, namespace: nil, value: value), customerID: id,
                     provenance: Provenance(channel: "web\"shop", assurance: .verified, linkedAt: Date(timeIntervalSince1970: 1_790_000_000.5))),
                Link(identifier: Identifier(trustedKind: .loyaltyCard, namespace: "plus/sa", value: "6012345678901234"), customerID: id,
                     provenance: Provenance(channel: "pos", assurance: .inferred, linkedAt: Date(timeIntervalSince1970: 0))),
            ]
            let response = ResolveResponse(customerID: id, identifiers: links.map(LinkView.init))
            let general = try JSONCoding.encoder.encode(response)
            #expect(response.json == Array(general), "\(String(decoding: general, as: UTF8.self))")
        }
    }
}
