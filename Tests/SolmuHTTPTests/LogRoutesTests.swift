import Foundation
import Hummingbird
import HummingbirdTesting
import IdentityGraph
import SolmuHTTP
import Testing
import VerifiableLog
import NIOFoundationEssentialsCompat
import NIOCore

@Suite("Verifiable log /log")
struct LogRoutesTests {
    let harness = try! TestHarness()

    @Test func anAuditorVerifiesTheCheckpointTheEntriesAndTheProofs() async throws {
        let auditor = try await harness.token("auditor")
        let webshop = try await harness.token("webshop")
        try await harness.test { client in
            for index in 0..<5 {
                let created = try await client.json(.post, "/v1/customers", token: webshop, body: """
                    {"identifiers":[{"kind":"email","value":"log\(index)@example.com"}]}
                    """)
                #expect(created.status == .created)
            }
            let response = try await client.json(.get, "/log/checkpoint", token: auditor)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; charset=utf-8")
            let verifier = try NoteVerifier(verifierKey: harness.services.logCheckpoints.verifierKey)
            let checkpoint = try Checkpoint.open(response.text, verifiers: [verifier])
            #expect(checkpoint.origin == "solmu.test/link-log")
            #expect(checkpoint.size == 10)

            let page = try await client.json(.get, "/log/entries?start=0&end=10", token: auditor)
            let entries = try EntriesPage.decode(page.text).entries
            #expect(entries.map(\.sequence) == Array(1...10))
            let leaves = entries.map { TreeHasher.leafHash(of: $0.leafBytes) }
            #expect(TreeHasher.rootHash(leafHashes: leaves) == checkpoint.rootHash)

            for index in [0, 3, 9] {
                let proof = try await client.json(.get, "/log/proof/inclusion?index=\(index)&size=10", token: auditor)
                let hashes = try #require(proof.json["hashes"] as? [String]).compactMap { TreeHash(base64: $0) }
                try MerkleProof.verifyInclusion(leafHash: leaves[index], index: UInt64(index), size: 10, proof: hashes, root: checkpoint.rootHash)
            }
            let consistency = try await client.json(.get, "/log/proof/consistency?from=4&to=10", token: auditor)
            let hashes = try #require(consistency.json["hashes"] as? [String]).compactMap { TreeHash(base64: $0) }
            try MerkleProof.verifyConsistency(from: 4, to: 10, proof: hashes, oldRoot: TreeHasher.rootHash(leafHashes: leaves.prefix(4)),
                                              newRoot: checkpoint.rootHash)

            // Within the signing interval the same checkpoint is handed out.
            _ = try await client.json(.post, "/v1/customers", token: webshop, body: #"{"identifiers":[{"kind":"email","value":"late@example.com"}]}"#)
            #expect(try await client.json(.get, "/log/checkpoint", token: auditor).text == response.text)
        }
    }

    @Test func anAuditorSearchesTheLogByIdentifierAndSeesTheDetailUntilErasure() async throws {
        let auditor = try await harness.token("auditor")
        let webshop = try await harness.token("webshop")
        let admin = try await harness.token("admin-cli")
        try await harness.test { client in
            let created = try await client.json(.post, "/v1/customers", token: webshop, body: """
                {"identifiers":[{"kind":"email","value":"search@example.com"},{"kind":"phone","value":"+358401112233"}],"profile":{"given_name":"Saara"}}
                """)
            let id = try #require(created.json["id"] as? String)
            _ = try await client.json(.post, "/v1/customers", token: webshop, body: #"{"identifiers":[{"kind":"email","value":"other@example.com"}]}"#)

            // The identifier is normalized like everywhere else: case and spaces do not matter.
            let found = try await client.json(.post, "/log/search", token: auditor, body: """
                {"identifier":{"kind":"email","value":" Search@Example.COM "}}
                """)
            #expect(found.status == .ok, "\(found.text)")
            let entries = try #require(found.json["entries"] as? [[String: Any]])
            #expect(entries.count == 1 && entries[0]["action"] as? String == "linked" && entries[0]["customer_id"] as? String == id)
            #expect((entries[0]["detail"] as? [String: Any])?["value"] as? String == "search@example.com")
            #expect(found.json["next_after"] is NSNull)

            let filtered = try await client.json(.post, "/log/search", token: auditor, body: """
                {"customer_id":"\(id)","action":"customer_created","actor":"webshop","since":"2000-01-01T00:00:00Z","until":"2999-01-01T00:00:00.000Z","limit":1}
                """)
            let created1 = try #require(filtered.json["entries"] as? [[String: Any]])
            #expect(created1.count == 1 && (created1[0]["detail"] as? [String: Any])?["name"] as? String == "Saara")
            #expect(filtered.json["next_after"] as? Int == created1[0]["sequence"] as? Int)

            let erased = try await client.json(.post, "/admin/v1/customers/\(id)/erase", token: admin, body: #"{"operator":"Olli","reason":"request"}"#)
            #expect(erased.status == .ok, "\(erased.text)")
            let after = try await client.json(.post, "/log/search", token: auditor, body: #"{"identifier":{"kind":"email","value":"search@example.com"}}"#)
            #expect(try #require(after.json["entries"] as? [[String: Any]]).isEmpty)
            let history = try await client.json(.post, "/log/search", token: auditor, body: #"{"customer_id":"\#(id)"}"#)
            let historyEntries = try #require(history.json["entries"] as? [[String: Any]])
            #expect(historyEntries.count == 4 && historyEntries.allSatisfy { $0["detail"] == nil })
            #expect(!history.text.contains("search@example.com") && !history.text.contains("Saara"))

            // Only auditors; bad filters are precise problems.
            #expect(try await client.json(.post, "/log/search", token: webshop, body: "{}").status == .forbidden)
            for (body, pointer) in [(#"{"identifier":{"kind":"email","value":"nope"}}"#, "/identifier"), (#"{"action":"bogus"}"#, "/action"),
                                    (#"{"since":"yesterday"}"#, "/since"), (#"{"limit":0}"#, "/limit"), (#"{"after":-1}"#, "/after"),
                                    (#"{"customer_id":"cus_x"}"#, "/customer_id"), (#"{"actor":""}"#, "/actor")] {
                let response = try await client.json(.post, "/log/search", token: auditor, body: body)
                #expect(response.status == .badRequest, "\(body): \(response.text)")
                #expect(response.json["pointer"] as? String == pointer, "\(body): \(response.text)")
                #expect(!response.text.contains("nope") && !response.text.contains("yesterday"))
            }
        }
    }

    @Test func onlyAuditorsAndOnlyGoodRanges() async throws {
        let auditor = try await harness.token("auditor")
        let webshop = try await harness.token("webshop")
        try await harness.test { client in
            #expect(try await client.json(.get, "/log/checkpoint", token: nil).status == .unauthorized)
            #expect(try await client.json(.get, "/log/checkpoint", token: webshop).status == .forbidden)
            for query in ["/log/entries?start=5&end=5", "/log/entries?start=0&end=2000", "/log/entries?start=-1&end=3", "/log/entries",
                          "/log/proof/inclusion?index=0&size=0", "/log/proof/inclusion?index=3&size=1",
                          "/log/proof/consistency?from=0&to=1", "/log/proof/consistency?from=2&to=1", "/log/proof/inclusion?index=x&size=1"] {
                let response = try await client.json(.get, query, token: auditor)
                #expect(response.status == .badRequest, "\(query): \(response.text)")
                #expect(response.headers[.contentType] == "application/problem+json")
            }
        }
    }
}

struct EntriesPage: Decodable {
    var start: UInt64
    var entries: [LinkLogEntry]

    /// Decodes as an auditor would: RFC 3339 times with milliseconds.
    static func decode(_ text: String) throws -> EntriesPage {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            guard let date = formatter.date(from: try container.decode(String.self)) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not RFC 3339")
            }
            return date
        }
        return try decoder.decode(EntriesPage.self, from: Data(text.utf8))
    }
}
