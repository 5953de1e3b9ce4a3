import Foundation
import Hummingbird
import HummingbirdTesting
import IdentityGraph
import SolmuHTTP
import Testing
import NIOFoundationEssentialsCompat
import NIOCore

@Suite("Admin API /admin/v1")
struct AdminRoutesTests {
    let harness = try! TestHarness()

    func create(_ client: some TestClientProtocol, _ body: String) async throws -> String {
        let response = try await client.json(.post, "/v1/customers", token: try await harness.token("webshop"), body: body)
        #expect(response.status == .created, "\(response.text)")
        return try #require(response.json["id"] as? String)
    }

    func twoCustomers(_ client: some TestClientProtocol) async throws -> (String, String) {
        let survivor = try await create(client, """
            {"identifiers":[{"kind":"email","value":"anna@example.com"}],"profile":{"given_name":"Anna"}}
            """)
        let duplicate = try await create(client, """
            {"identifiers":[{"kind":"email","value":"anna.k@example.org"},{"kind":"phone","value":"+358401234567"}],
             "profile":{"given_name":"Anna","family_name":"Korhonen"}}
            """)
        return (survivor, duplicate)
    }

    @Test func onlyTheAdminScopeGetsIn() async throws {
        let webshop = try await harness.token("webshop")
        let adminWithoutScope = try await harness.token("admin-cli", scope: ["identity:read"])
        try await harness.test { client in
            let anonymous = try await client.json(.get, "/admin/v1/customers/cus_aaaaaaaaaaaaaaaaaaaaaaaaaa", token: nil)
            #expect(anonymous.status == .unauthorized)
            for token in [webshop, adminWithoutScope] {
                let response = try await client.json(.get, "/admin/v1/customers/cus_aaaaaaaaaaaaaaaaaaaaaaaaaa", token: token)
                #expect(response.status == .forbidden)
                #expect(response.json["required_scope"] as? String == "admin")
            }
        }
    }

    @Test func mergeShowAndUndoThroughTheAPI() async throws {
        let admin = try await harness.token("admin-cli")
        let webshop = try await harness.token("webshop")
        try await harness.test { client in
            let (survivor, duplicate) = try await twoCustomers(client)
            let before = try await client.json(.get, "/admin/v1/customers/\(duplicate)", token: admin)

            let dryRun = try await client.json(.post, "/admin/v1/merges", token: admin, body: """
                {"survivor":"\(survivor)","duplicate":"\(duplicate)","dry_run":true}
                """)
            #expect(dryRun.status == .ok)
            #expect(dryRun.json["moved_identifiers"] as? Int == 2)
            #expect(dryRun.json["filled_profile_fields"] as? [String] == ["family_name"])
            #expect(try await client.json(.get, "/admin/v1/customers/\(duplicate)", token: admin).json["status"] as? String == "active")

            let merged = try await client.json(.post, "/admin/v1/merges", token: admin, body: """
                {"survivor":"\(survivor)","duplicate":"\(duplicate)","operator":"maija","reason":"same person, checked by phone"}
                """)
            #expect(merged.status == .created, "\(merged.text)")
            let mergeID = try #require(merged.json["id"] as? String)
            #expect(merged.headers[.location] == "/admin/v1/merges/\(mergeID)")

            // Channels keep using the old id: it resolves to the survivor.
            let viaOldID = try await client.json(.get, "/v1/customers/\(duplicate)", token: webshop)
            #expect(viaOldID.json["id"] as? String == survivor)
            let shown = try await client.json(.get, "/admin/v1/customers/\(duplicate)", token: admin)
            #expect(shown.json["status"] as? String == "merged" && shown.json["merged_into"] as? String == survivor)
            let history = try #require(try await client.json(.get, "/admin/v1/customers/\(survivor)", token: admin).json["merges"] as? [[String: Any]])
            #expect(history.first?["role"] as? String == "survivor" && history.first?["operator"] as? String == "maija")

            let log = try await client.json(.get, "/v1/link-log?customer=\(duplicate)", token: webshop)
            let last = try #require((log.json["entries"] as? [[String: Any]])?.last)
            #expect(last["action"] as? String == "merged" && last["operator"] as? String == "maija" && last["merge_id"] as? String == mergeID)

            let undone = try await client.json(.post, "/admin/v1/merges/\(mergeID)/undo", token: admin, body: """
                {"operator":"maija","reason":"different people after all"}
                """)
            #expect(undone.status == .ok, "\(undone.text)")
            #expect((undone.json["restored"] as? [Any])?.count == 2)
            let after = try await client.json(.get, "/admin/v1/customers/\(duplicate)", token: admin)
            #expect((after.json["identifiers"] as? [[String: String]]) == nil || true)
            #expect(after.json["status"] as? String == "active")
            #expect(after.json["profile"] as? [String: String] == before.json["profile"] as? [String: String])
            #expect((after.json["identifiers"] as? [[String: Any]])?.count == 2)

            let again = try await client.json(.post, "/admin/v1/merges/\(mergeID)/undo", token: admin, body: """
                {"operator":"maija","reason":"twice"}
                """)
            #expect(again.status == .conflict)
            #expect(again.json["type"] as? String == "urn:solmu:problem:merge-not-undoable")
        }
    }

    @Test func everyChangeNeedsAnOperatorAndAReasonAndBadInputChangesNothing() async throws {
        let admin = try await harness.token("admin-cli")
        try await harness.test { client in
            let (survivor, duplicate) = try await twoCustomers(client)
            let before = try await harness.store.statistics()
            let cases: [(String, String, String, HTTPResponse.Status, String?)] = [
                ("/admin/v1/merges", #"{"survivor":"\#(survivor)","duplicate":"\#(duplicate)","reason":"x"}"#, "POST", .badRequest, "/operator"),
                ("/admin/v1/merges", #"{"survivor":"\#(survivor)","duplicate":"\#(duplicate)","operator":"maija"}"#, "POST", .badRequest, "/reason"),
                ("/admin/v1/merges", #"{"survivor":"\#(survivor)","duplicate":"\#(duplicate)","operator":"  ","reason":"x"}"#, "POST", .badRequest, "/operator"),
                ("/admin/v1/merges", #"{"survivor":"cus_nope","duplicate":"\#(duplicate)","operator":"m","reason":"x"}"#, "POST", .badRequest, nil),
                ("/admin/v1/merges", #"{"survivor":"\#(survivor)","duplicate":"\#(survivor)","operator":"m","reason":"x"}"#, "POST", .unprocessableContent, nil),
                ("/admin/v1/merges", #"{"survivor":"\#(survivor)","duplicate":"cus_aaaaaaaaaaaaaaaaaaaaaaaaaa","operator":"m","reason":"x"}"#, "POST", .notFound, nil),
                ("/admin/v1/merges/mrg_aaaaaaaaaaaaaaaaaaaaaaaaaa/undo", #"{"operator":"m","reason":"x"}"#, "POST", .notFound, nil),
                ("/admin/v1/merges/not-a-merge/undo", #"{"operator":"m","reason":"x"}"#, "POST", .badRequest, nil),
                ("/admin/v1/moves", #"{"identifier":{"kind":"email","value":"not an email"},"to":"\#(survivor)","operator":"m","reason":"x"}"#, "POST", .badRequest, "/identifier"),
                ("/admin/v1/moves", #"{"identifier":{"kind":"email","value":"nobody@example.com"},"to":"\#(survivor)","operator":"m","reason":"x"}"#, "POST", .notFound, nil),
                ("/admin/v1/customers/\(survivor)/erase", #"{"operator":"m"}"#, "POST", .badRequest, "/reason"),
                ("/admin/v1/customers/\(survivor)/links", #"{"identifier":{"kind":"email","value":"anna.k@example.org"},"operator":"m","reason":"x"}"#, "POST", .conflict, nil),
                ("/admin/v1/duplicate-scans", #"{"min_score":2}"#, "POST", .badRequest, "/min_score"),
                ("/admin/v1/duplicate-scans", #"{"limit":0}"#, "POST", .badRequest, "/limit"),
                ("/admin/v1/merges", #"{"survivor":"#, "POST", .badRequest, nil),
            ]
            for (path, body, method, status, pointer) in cases {
                let response = try await client.json(method == "POST" ? .post : .delete, path, token: admin, body: body)
                #expect(response.status == status, "\(path) \(body): \(response.text)")
                #expect(response.headers[.contentType] == "application/problem+json", "\(path)")
                if let pointer { #expect(response.json["pointer"] as? String == pointer, "\(path) \(body)") }
            }
            #expect(try await harness.store.statistics() == before)
        }
    }

    @Test func moveEraseAndExport() async throws {
        let admin = try await harness.token("admin-cli")
        let webshop = try await harness.token("webshop")
        try await harness.test { client in
            let (survivor, duplicate) = try await twoCustomers(client)
            let moved = try await client.json(.post, "/admin/v1/moves", token: admin, body: """
                {"identifier":{"kind":"phone","value":"040 1234567"},"to":"\(survivor)","operator":"maija","reason":"recycled number"}
                """)
            #expect(moved.status == .ok, "\(moved.text)")
            #expect(moved.json["previous_owner"] as? String == duplicate)

            let export = try await client.json(.get, "/admin/v1/customers/\(survivor)/export", token: admin)
            #expect(export.status == .ok)
            #expect(export.headers[.contentDisposition]?.contains("\(survivor).json") == true)
            let exportedLinks = try #require((export.json["customer"] as? [String: Any])?["identifiers"] as? [[String: Any]])
            #expect(Set(exportedLinks.compactMap { $0["value"] as? String }) == ["anna@example.com", "+358401234567"])
            #expect((export.json["link_log"] as? [[String: Any]])?.contains { $0["action"] as? String == "moved" } == true)
            #expect(export.json["has_password"] as? Bool == false)

            let erased = try await client.json(.post, "/admin/v1/customers/\(survivor)/erase", token: admin, body: """
                {"operator":"maija","reason":"erasure request 2026-118"}
                """)
            #expect(erased.status == .ok, "\(erased.text)")
            #expect(erased.json["erased_identifiers"] as? Int == 2)

            let gone = try await client.json(.get, "/v1/customers/\(survivor)", token: webshop)
            #expect(gone.status == .gone)
            #expect(gone.json["type"] as? String == "urn:solmu:problem:customer-erased")
            let unresolved = try await client.json(.get, "/v1/resolve?kind=email&value=anna%40example.com", token: webshop)
            #expect(unresolved.status == .notFound)
            let shown = try await client.json(.get, "/admin/v1/customers/\(survivor)", token: admin)
            #expect(shown.json["status"] as? String == "erased" && shown.json["profile"] == nil)
            let relink = try await client.json(.post, "/v1/links", token: webshop, body: """
                {"customer_id":"\(survivor)","identifier":{"kind":"email","value":"anna@example.com"}}
                """)
            #expect(relink.status == .gone)
            // The log still has every entry, without a single identifier value.
            let log = try await client.json(.get, "/v1/link-log?customer=\(survivor)", token: webshop)
            #expect(log.text.contains("\"erased\""))
            #expect(!log.text.contains("anna@example.com") && !log.text.contains("+358401234567"))
        }
    }

    @Test func duplicateScanFindsARefusedLinkPair() async throws {
        let admin = try await harness.token("admin-cli")
        let webshop = try await harness.token("webshop")
        try await harness.test { client in
            let (survivor, duplicate) = try await twoCustomers(client)
            let refused = try await client.json(.post, "/v1/links", token: webshop, body: """
                {"customer_id":"\(survivor)","identifier":{"kind":"phone","value":"+358401234567"}}
                """)
            #expect(refused.status == .conflict)

            let started = try await client.json(.post, "/admin/v1/duplicate-scans", token: admin, body: #"{"min_score":0.5}"#)
            #expect(started.status == .accepted, "\(started.text)")
            let id = try #require(started.json["id"] as? String)
            var scan = started
            // The scan shares NIO's blocking pool with scrypt: under a busy test run it may wait.
            let deadline = ContinuousClock.now + .seconds(120)
            while ContinuousClock.now < deadline {
                scan = try await client.json(.get, "/admin/v1/duplicate-scans/\(id)", token: admin)
                if scan.json["state"] as? String != "running" { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(scan.json["state"] as? String == "done", "\(scan.text)")
            let pairs = try #require(scan.json["pairs"] as? [[String: Any]])
            let pair = try #require(pairs.first)
            #expect(Set([pair["first"] as? String, pair["second"] as? String]) == [survivor, duplicate])
            let reasons = try #require(pair["reasons"] as? [[String: Any]])
            #expect(!reasons.isEmpty && reasons.allSatisfy { $0["weight"] is Double && $0["code"] is String })
            #expect(!scan.text.contains("+358401234567") && !scan.text.contains("anna@example.com"))

            let unknown = try await client.json(.get, "/admin/v1/duplicate-scans/dsc_nope", token: admin)
            #expect(unknown.status == .notFound)
        }
    }
}
