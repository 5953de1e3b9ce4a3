import Crypto
import Foundation
import Identifiers
import IdentityGraph
import SQLiteStore
import Testing

/// SQLite-specific behaviour; the shared contract is in IdentityStoreConformanceTests.
struct SQLiteIdentityStoreTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("solmu-sqlite-\(UUID().uuidString)")
    var path: String { directory.appendingPathComponent("nested/solmu.sqlite").path }
    let keys = LinkLogKeys(master: SymmetricKey(data: Data(repeating: 1, count: 32)))

    func sqlite(_ sql: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path, sql]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    @Test func createsTheDatabaseInWALModeWithTheIdentifierIndex() async throws {
        let store = try SQLiteIdentityStore(path: path, rules: .default, keys: keys)
        try await store.ping()
        #expect(try sqlite("PRAGMA journal_mode;").output.trimmingCharacters(in: .whitespacesAndNewlines) == "wal")
        let plan = try sqlite("EXPLAIN QUERY PLAN SELECT customer_id FROM links WHERE kind = 'email' AND namespace = '' AND value = 'a@example.com';").output
        #expect(plan.contains("USING PRIMARY KEY (kind=? AND namespace=? AND value=?)"), "lookup uses the identifier index: \(plan)")
    }

    @Test func theLinkLogIsAppendOnly() async throws {
        let store = try SQLiteIdentityStore(path: path, rules: .default, keys: keys)
        _ = try await store.createCustomer(
            NewCustomer(identifiers: [.init(identifier: Identifier(trustedKind: .email, namespace: nil, value: "a@example.com"), assurance: .asserted)]),
            context: ChangeContext(actor: "test")
        )
        let update = try sqlite("UPDATE link_log SET actor = 'mallory' WHERE sequence = 1;")
        #expect(update.status != 0)
        #expect(update.output.contains("append-only"))
        let delete = try sqlite("DELETE FROM link_log;")
        #expect(delete.status != 0)
        #expect(try await store.linkLog(customer: nil, after: nil, limit: 10).first?.record.actor == "test")
    }

    @Test func refusesADatabaseMigratedByANewerSolmu() async throws {
        _ = try SQLiteIdentityStore(path: path, rules: .default, keys: keys)
        #expect(try sqlite("INSERT INTO grdb_migrations (identifier) VALUES ('2099-01-01-from-the-future');").status == 0)
        #expect(throws: SQLiteStoreError.self) {
            try SQLiteIdentityStore(path: path, rules: .default, keys: keys)
        }
    }

    @Test func reopeningKeepsTheData() async throws {
        let id: CustomerID
        do {
            let store = try SQLiteIdentityStore(path: path, rules: .default, keys: keys)
            id = try await store.createCustomer(
                NewCustomer(identifiers: [.init(identifier: Identifier(trustedKind: .email, namespace: nil, value: "a@example.com"), assurance: .verified)]),
                context: ChangeContext(actor: "test")
            ).id
        }
        let reopened = try SQLiteIdentityStore(path: path, rules: .default, keys: keys)
        #expect(try await reopened.resolve(Identifier(trustedKind: .email, namespace: nil, value: "a@example.com"))?.customerID == id)
    }
}
