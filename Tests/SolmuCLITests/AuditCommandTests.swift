import Foundation
import Testing

/// `solmu audit …` end to end against a real server: the log verifies, and every kind of
/// tampering is found and named.
@Suite("solmu audit", .serialized)
struct AuditCommandTests {
    @Test func anAuditorVerifiesTheLogAndFindsTampering() async throws {
        let server = try await SolmuServer.start(customers: """
            {"identifiers":[{"kind":"email","value":"anna@example.com"}],"profile":{"given_name":"Anna"}}
            {"identifiers":[{"kind":"email","value":"anna.k@example.org"},{"kind":"phone","value":"+358401234567"}]}
            {"identifiers":[{"kind":"email","value":"matti@example.com"}]}
            """)
        defer { server.stop() }
        let anna = try server.customerID("email:anna@example.com")
        let annaK = try server.customerID("email:anna.k@example.org")
        let matti = try server.customerID("email:matti@example.com")
        let merge = try server.admin("merge", anna, annaK, "--reason", "same person", "--json")
        let mergeID = try #require(merge.json["id"] as? String)
        #expect(try server.admin("unmerge", mergeID, "--reason", "not the same").status == 0)

        let verifier = try SolmuServer.run(["keys", "log-verifier", "--keys", server.directory.appendingPathComponent("keys").path,
                                            "--issuer", "http://127.0.0.1:\(server.port)"], environment: [:])
        #expect(verifier.status == 0 && verifier.output.hasPrefix("127.0.0.1:\(server.port)/link-log+"))
        let key = verifier.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let saved = server.directory.appendingPathComponent("checkpoint-1.txt").path
        let first = try server.audit(["checkpoint", "--save", saved], verifier: key)
        #expect(first.status == 0, "\(first.errors)")

        // Search by identifier: the server finds the entries, with the readable value.
        let mattiBefore = try server.audit(["log", "--identifier", "email:Matti@Example.com", "--json"], verifier: key)
        #expect(mattiBefore.status == 0, "\(mattiBefore.errors)")
        #expect(mattiBefore.output.split(separator: "\n").count == 1 && mattiBefore.output.contains(#""value":"matti@example.com""#))
        #expect(try server.audit(["log", "--identifier", "email:not an address"], verifier: key).status == 2)

        // The log grows (after the signing interval, so that a new checkpoint is signed).
        try await Task.sleep(for: .seconds(5.2))
        #expect(try server.admin("erase", matti, "--reason", "request 9", "--yes").status == 0)
        // After erasure nothing in the log leads back to the value, and the entries have no detail.
        let mattiAfter = try server.audit(["log", "--identifier", "email:matti@example.com", "--json"], verifier: key)
        #expect(mattiAfter.status == 0 && mattiAfter.output.isEmpty, "\(mattiAfter.output)")
        let mattiEntries = try server.audit(["log", "--customer", matti, "--json"], verifier: key)
        #expect(mattiEntries.output.contains(#""action":"erased""#) && !mattiEntries.output.contains("detail"))
        let online = try server.audit(["verify", "--since", saved], verifier: key)
        #expect(online.status == 0, "\(online.errors)")
        #expect(online.output.contains("verified") && online.output.contains("an extension of"))

        // Review: one customer's entries, as CSV.
        let review = try server.audit(["log", "--customer", anna, "--csv"], verifier: key)
        #expect(review.status == 0, "\(review.errors)")
        let rows = review.output.split(separator: "\n")
        #expect(rows.first == "sequence,time,actor,operator,action,customer,related,kind,detail,value_hash,reason")
        #expect(rows.contains { $0.contains(",linked,") && $0.contains(",anna@example.com,") })
        #expect(rows.contains { $0.contains(",merged,") && $0.contains("same person") } && rows.contains { $0.contains(",unmerged,") })
        let merges = try server.audit(["log", "--action", "merged", "--json"], verifier: key)
        #expect(merges.output.split(separator: "\n").count == 1)
        #expect(try server.audit(["log", "--action", "bogus"], verifier: key).status == 2)

        // A checkpoint that the pinned key did not sign is refused.
        let otherKeys = server.directory.appendingPathComponent("other-keys").path
        let otherKey = try SolmuServer.run(["keys", "log-verifier", "--keys", otherKeys, "--issuer", "http://127.0.0.1:\(server.port)"], environment: [:])
        let wrongKey = try server.audit(["verify"], verifier: otherKey.output.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(wrongKey.status == 1 && wrongKey.errors.contains("does not verify with the verifier key"))

        // Offline: an export verifies; tampered copies do not, and the finding names what is wrong.
        let export = server.directory.appendingPathComponent("log.jsonl")
        #expect(try server.audit(["export", "--out", export.path], verifier: key).status == 0)
        #expect(try server.audit(["verify", "--export", export.path], verifier: key).status == 0)
        let lines = try String(contentsOf: export, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count > 8)

        func verifyTampered(_ lines: [String]) throws -> SolmuServer.Result {
            let file = server.directory.appendingPathComponent("tampered-\(UUID().uuidString).jsonl")
            try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
            return try server.audit(["verify", "--export", file.path], verifier: key)
        }
        var changed = lines
        changed[3] = changed[3].replacingOccurrences(of: "\"actor\":\"", with: "\"actor\":\"x")
        let changedResult = try verifyTampered(changed)
        #expect(changedResult.status == 1 && changedResult.errors.contains("do not hash to the checkpoint's root"), "\(changedResult.errors)")

        let truncated = try verifyTampered(Array(lines.dropLast(2)))
        #expect(truncated.status == 1 && truncated.errors.contains("were given"), "\(truncated.errors)")

        var reordered = lines
        reordered.swapAt(3, 4)
        let reorderedResult = try verifyTampered(reordered)
        #expect(reorderedResult.status == 1 && reorderedResult.errors.contains("entry 4: expected sequence number 3"), "\(reorderedResult.errors)")

        var swapped = lines
        swapped[0] = String(decoding: try JSONSerialization.data(withJSONObject: ["checkpoint": try String(contentsOfFile: saved, encoding: .utf8)]), as: UTF8.self)
        let swappedResult = try verifyTampered(swapped)
        #expect(swappedResult.status == 1 && swappedResult.errors.contains("covers"), "\(swappedResult.errors)")

        // Online: an entry changed in the database behind the server's back is named.
        try server.sqlite("""
            DROP TRIGGER link_log_no_update;
            UPDATE link_log SET reason = 'rewritten' WHERE sequence = 5;
            """)
        let rewritten = try server.audit(["verify"], verifier: key)
        #expect(rewritten.status == 1 && rewritten.errors.contains("entry 5: the entry differs"), "\(rewritten.errors)")

        // The erased customer's e-mail address is nowhere in the database file.
        server.stop(keepingFiles: true)
        let database = try Data(contentsOf: server.directory.appendingPathComponent("solmu.sqlite"))
        #expect(database.range(of: Data("matti@example.com".utf8)) == nil)
        #expect(database.range(of: Data("anna@example.com".utf8)) != nil)
        try? FileManager.default.removeItem(at: server.directory)
    }
}

extension SolmuServer {
    func audit(_ arguments: [String], verifier: String) throws -> Result {
        try Self.run(["audit"] + arguments, environment: [
            "SOLMU_SERVER": "http://127.0.0.1:\(port)", "SOLMU_CLIENT_ID": "auditor", "SOLMU_CLIENT_SECRET": "auditor-dev-secret",
            "SOLMU_LOG_VERIFIER": verifier, "HOME": directory.path,
        ])
    }

    /// Runs SQL on the server's database with Python's sqlite3 (as a tamperer would).
    func sqlite(_ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()",
                             directory.appendingPathComponent("solmu.sqlite").path, sql]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ServerError("sqlite3 failed") }
    }
}
