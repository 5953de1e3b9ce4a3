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
        try SQLiteShell.run(sql, database: path)
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

    // MARK: - Bulk loads

    /// The definitions of every index in the file, one per line, in name order.
    func indexes() throws -> String {
        let result = try sqlite("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name;")
        #expect(result.status == 0, "\(result.output)")
        return result.output
    }

    func customers(_ emails: String...) -> [NewCustomer] {
        emails.map { NewCustomer(identifiers: [.init(identifier: Identifier(trustedKind: .email, namespace: nil, value: $0), assurance: .asserted)]) }
    }

    static let deferredIndexes = ["links_by_customer", "link_log_by_customer", "link_log_details_by_lookup"]

    @Test func aLoadIntoAnEmptyGraphBuildsThreeIndexesAtItsEnd() async throws {
        let store = try SQLiteIdentityStore(path: path, rules: .default, keys: keys)
        let before = try indexes()
        for name in Self.deferredIndexes { #expect(before.contains("CREATE INDEX \(name) ON")) }

        let during = try await store.bulkLoad {
            _ = try await store.importCustomers(customers("a@example.com", "b@example.com"), context: ChangeContext(actor: "import"))
            return try indexes()
        }
        for name in Self.deferredIndexes { #expect(!during.contains(name), "\(name) is dropped during the load") }
        #expect(try indexes() == before, "the same definitions afterwards")
        let plan = try sqlite("EXPLAIN QUERY PLAN SELECT kind FROM links WHERE customer_id = 'cus_x';").output
        #expect(plan.contains("links_by_customer"), "\(plan)")
    }

    @Test func aLoadIntoAGraphWithCustomersKeepsItsIndexes() async throws {
        let store = try SQLiteIdentityStore(path: path, rules: .default, keys: keys)
        _ = try await store.importCustomers(customers("first@example.com"), context: ChangeContext(actor: "import"))
        let before = try indexes()
        let during = try await store.bulkLoad {
            _ = try await store.importCustomers(customers("a@example.com"), context: ChangeContext(actor: "import"))
            return try indexes()
        }
        #expect(during == before)
        #expect(try indexes() == before)
    }

    @Test func aFailedLoadStillBuildsTheIndexesAndKeepsWhatItWrote() async throws {
        struct Interrupted: Error {}
        let store = try SQLiteIdentityStore(path: path, rules: .default, keys: keys)
        let before = try indexes()
        await #expect(throws: Interrupted.self) {
            try await store.bulkLoad {
                _ = try await store.importCustomers(customers("a@example.com"), context: ChangeContext(actor: "import"))
                throw Interrupted()
            }
        }
        #expect(try indexes() == before)
        #expect(try await store.statistics() == StoreStatistics(customers: 1, links: 1, logEntries: 2))
    }

    @Test func openingBuildsTheIndexesAnInterruptedLoadLeftMissing() async throws {
        let id: CustomerID
        do {
            let store = try SQLiteIdentityStore(path: path, rules: .default, keys: keys)
            id = try #require(try await store.importCustomers(customers("a@example.com"), context: ChangeContext(actor: "import")).first?.get())
        }
        let before = try indexes()
        // What a process killed during a load leaves behind.
        #expect(try sqlite(Self.deferredIndexes.map { "DROP INDEX \($0);" }.joined()).status == 0)
        #expect(try indexes() != before)

        let reopened = try SQLiteIdentityStore(path: path, rules: .default, keys: keys)
        #expect(try indexes() == before)
        #expect(try await reopened.linkLog(customer: id, after: nil, limit: 10).count == 2)
    }
}
