import Foundation
import Hummingbird
import HummingbirdTesting
import SolmuHTTP
import Testing
import Tokens
import NIOFoundationEssentialsCompat
import NIOCore

/// The walkthrough of the README, over a real socket.
struct LiveServerTests {
    let harness = try! TestHarness()

    @Test func tokenCreateLinkResolveOverARealPort() async throws {
        try await harness.application.test(.live) { client in
            #expect(client.port != nil)
            let token = try await client.form("/oauth/token", "grant_type=client_credentials",
                                              headers: [.authorization: basic("callcenter", "callcenter-dev-secret")])
            #expect(token.status == .ok)
            let accessToken = try #require(token.json["access_token"] as? String)

            let created = try await client.json(.post, "/v1/customers", token: accessToken,
                                                body: #"{"identifiers":[{"kind":"email","value":"anna@example.com"}],"profile":{"given_name":"Anna"}}"#)
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)

            let linked = try await client.json(.post, "/v1/links", token: accessToken,
                                               body: "{\"customer_id\":\"\(id)\",\"identifier\":{\"kind\":\"phone\",\"value\":\"+358 40 123 4567\"}}")
            #expect(linked.status == .created)

            let resolved = try await client.json(.get, "/v1/resolve?kind=phone&value=040%201234567", token: accessToken)
            #expect(resolved.json["customer_id"] as? String == id)
        }
    }
}
