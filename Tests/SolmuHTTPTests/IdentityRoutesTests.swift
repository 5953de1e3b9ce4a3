import Foundation
import Hummingbird
import HummingbirdTesting
import IdentityGraph
import SolmuHTTP
import Testing
import Tokens
import NIOFoundationEssentialsCompat
import NIOCore

@Suite("Solmu API /v1")
struct IdentityRoutesTests {
    let harness = try! TestHarness()

    /// Creates a customer through the API and returns its id.
    func create(_ client: some TestClientProtocol, token: String, _ body: String) async throws -> String {
        let response = try await client.json(.post, "/v1/customers", token: token, body: body)
        #expect(response.status == .created, "\(response.text)")
        return try #require(response.json["id"] as? String)
    }

    @Test func createLinkAndResolveAcrossNormalizations() async throws {
        let webshop = try await harness.token("webshop")
        try await harness.test { client in
            let created = try await client.json(.post, "/v1/customers", token: webshop, body: """
                {"identifiers":[{"kind":"email","value":"  Anna.Virtanen@Example.COM "},{"kind":"phone","value":"+358 40 123 4567"}],
                 "profile":{"given_name":"Anna","family_name":"Virtanen"}}
                """)
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)
            #expect(created.headers[.location] == "/v1/customers/\(id)")
            let identifiers = try #require(created.json["identifiers"] as? [[String: Any]])
            #expect(identifiers.compactMap { $0["value"] as? String }.sorted() == ["+358401234567", "anna.virtanen@example.com"])

            // The same phone written nationally (default region FI) resolves to the same customer.
            for query in ["kind=phone&value=%2B358%2040%20123%204567", "kind=phone&value=040%201234567", "kind=phone&value=0401234567",
                          "kind=email&value=ANNA.VIRTANEN%40example.com"] {
                let resolved = try await client.json(.get, "/v1/resolve?\(query)", token: webshop)
                #expect(resolved.status == .ok, "\(query)")
                #expect(resolved.json["customer_id"] as? String == id)
            }

            let linked = try await client.json(.post, "/v1/links", token: webshop, body: """
                {"customer_id":"\(id)","identifier":{"kind":"social","namespace":"instagram","value":"@Anna.V"},"assurance":"asserted"}
                """)
            #expect(linked.status == .created)
            #expect(linked.json["result"] as? String == "linked")
            let again = try await client.json(.post, "/v1/links", token: webshop, body: """
                {"customer_id":"\(id)","identifier":{"kind":"social","namespace":"instagram","value":"anna.v"}}
                """)
            #expect(again.status == .ok)
            #expect(again.json["result"] as? String == "unchanged")

            let unknown = try await client.json(.get, "/v1/resolve?kind=email&value=nobody%40example.com", token: webshop)
            #expect(unknown.status == .notFound)
            #expect(unknown.headers[.contentType] == "application/problem+json")
        }
    }

    @Test func channelsSeeOnlyTheKindsTheirPolicyAllows() async throws {
        let webshop = try await harness.token("webshop")
        let pos = try await harness.token("pos")
        try await harness.test { client in
            let id = try await create(client, token: webshop, #"{"identifiers":[{"kind":"email","value":"anna@example.com"}]}"#)
            let linked = try await client.json(.post, "/v1/links", token: pos, body: """
                {"customer_id":"\(id)","identifier":{"kind":"loyalty_card","namespace":"plussa","value":"6012 3456 7890 1234"}}
                """)
            #expect(linked.status == .created, "\(linked.text)")
            let resolved = try await client.json(.get, "/v1/resolve?kind=loyalty_card&namespace=plussa&value=6012-3456-7890-1234", token: pos)
            #expect(resolved.json["customer_id"] as? String == id)
            let kinds = (resolved.json["identifiers"] as? [[String: Any]])?.compactMap { $0["kind"] as? String }
            #expect(kinds == ["loyalty_card"], "pos may not see e-mail addresses")
        }
    }

    @Test func aConflictIs409NamingBothCustomersAndChangesNothing() async throws {
        let webshop = try await harness.token("webshop")
        try await harness.test { client in
            let anna = try await create(client, token: webshop, #"{"identifiers":[{"kind":"email","value":"anna@example.com"}]}"#)
            let other = try await create(client, token: webshop, #"{"identifiers":[{"kind":"email","value":"other@example.com"}]}"#)
            let before = try await harness.store.statistics()
            let response = try await client.json(.post, "/v1/links", token: webshop, body: """
                {"customer_id":"\(other)","identifier":{"kind":"email","value":"ANNA@example.com"}}
                """)
            #expect(response.status == .conflict)
            #expect(response.json["customers"] as? [String] == [anna, other])
            #expect(response.json["type"] as? String == "urn:solmu:problem:identifier-conflict")
            #expect(!response.text.contains("anna@example.com"))
            #expect(try await harness.store.statistics() == before)
            #expect(try await harness.store.duplicateCandidates(limit: 10).count == 1)
        }
    }

    @Test func unlinkNeedsAReasonAndRecordsIt() async throws {
        let callcenter = try await harness.token("callcenter")
        try await harness.test { client in
            let id = try await create(client, token: callcenter, #"{"identifiers":[{"kind":"email","value":"a@example.com"},{"kind":"phone","value":"0401234567"}]}"#)
            let noReason = try await client.json(.delete, "/v1/links", token: callcenter, body: #"{"identifier":{"kind":"phone","value":"0401234567"}}"#)
            #expect(noReason.status == .badRequest)
            let blank = try await client.json(.delete, "/v1/links", token: callcenter, body: #"{"identifier":{"kind":"phone","value":"0401234567"},"reason":"  "}"#)
            #expect(blank.status == .badRequest)
            let removed = try await client.json(.delete, "/v1/links", token: callcenter, body: """
                {"customer_id":"\(id)","identifier":{"kind":"phone","value":"+358 40 1234567"},"reason":"customer asked"}
                """)
            #expect(removed.status == .ok, "\(removed.text)")
            #expect(removed.json["result"] as? String == "unlinked")
            let log = try await client.json(.get, "/v1/link-log?customer=\(id)", token: callcenter)
            let entries = try #require(log.json["entries"] as? [[String: Any]])
            #expect(entries.last?["action"] as? String == "unlinked")
            #expect(entries.last?["reason"] as? String == "customer asked")
            #expect(!log.text.contains("0401234567") && !log.text.contains("+358401234567"), "the log shows keyed hashes only")
            let gone = try await client.json(.delete, "/v1/links", token: callcenter, body: #"{"identifier":{"kind":"phone","value":"0401234567"},"reason":"again"}"#)
            #expect(gone.status == .notFound)
        }
    }

    @Test func batchResolveAnswersInOrder() async throws {
        let webshop = try await harness.token("webshop")
        try await harness.test { client in
            let id = try await create(client, token: webshop, #"{"identifiers":[{"kind":"email","value":"anna@example.com"}]}"#)
            let response = try await client.json(.post, "/v1/resolve", token: webshop, body: """
                {"identifiers":[{"kind":"email","value":"nobody@example.com"},{"kind":"email","value":"not an email"},{"kind":"email","value":"ANNA@example.com"}]}
                """)
            #expect(response.status == .ok)
            let results = try #require(response.json["results"] as? [[String: Any]])
            #expect(results.count == 3)
            #expect(results[0]["customer_id"] is NSNull)
            #expect((results[1]["error"] as? [String: Any])?["code"] as? String != nil)
            #expect(results[2]["customer_id"] as? String == id)
            let tooMany = "{\"identifiers\":[" + Array(repeating: #"{"kind":"email","value":"a@example.com"}"#, count: 1_001).joined(separator: ",") + "]}"
            #expect(try await client.json(.post, "/v1/resolve", token: webshop, body: tooMany).status == .badRequest)
        }
    }

    @Test func linkLogPages() async throws {
        let admin = try await harness.token("admin-cli")
        try await harness.test { client in
            for index in 0..<3 {
                _ = try await create(client, token: admin, "{\"identifiers\":[{\"kind\":\"email\",\"value\":\"p\(index)@example.com\"}]}")
            }
            let first = try await client.json(.get, "/v1/link-log?limit=4", token: admin)
            #expect((first.json["entries"] as? [Any])?.count == 4)
            let next = try #require(first.json["next_after"] as? Int)
            let second = try await client.json(.get, "/v1/link-log?after=\(next)&limit=4", token: admin)
            let entries = try #require(second.json["entries"] as? [[String: Any]])
            #expect(entries.compactMap { $0["sequence"] as? Int } == [5, 6])
            #expect(second.json["next_after"] is NSNull)
            for bad in ["limit=0", "limit=1001", "after=-1", "after=x", "customer=cus_nope"] {
                #expect(try await client.json(.get, "/v1/link-log?\(bad)", token: admin).status == .badRequest, "\(bad)")
            }
        }
    }

    @Test func readingACustomer() async throws {
        let webshop = try await harness.token("webshop")
        try await harness.test { client in
            let id = try await create(client, token: webshop, #"{"identifiers":[{"kind":"email","value":"anna@example.com"}],"profile":{"given_name":" Anna "}}"#)
            let response = try await client.json(.get, "/v1/customers/\(id)", token: webshop)
            #expect(response.status == .ok)
            #expect((response.json["profile"] as? [String: Any])?["given_name"] as? String == "Anna")
            let links = try #require(response.json["identifiers"] as? [[String: Any]])
            #expect(links.first?["channel"] as? String == "webshop")
            #expect(links.first?["assurance"] as? String == "asserted")
            #expect(try await client.json(.get, "/v1/customers/cus_aaaaaaaaaaaaaaaaaaaaaaaaaa", token: webshop).status == .notFound)
            #expect(try await client.json(.get, "/v1/customers/not-an-id", token: webshop).status == .badRequest)
        }
    }
}
