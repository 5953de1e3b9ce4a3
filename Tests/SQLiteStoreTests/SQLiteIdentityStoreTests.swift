import Crypto
import Foundation
import Identifiers
import IdentityGraph
import SQLiteStore
import Testing
import VerifiableLog

/// SQLite-specific behaviour; the shared contract is in IdentityStoreConformanceTests.
struct SQLiteIdentityStoreTests: SQLiteFileSuite {
    let path = Self.temporaryPath("solmu-sqlite", file: "nested/solmu.sqlite")
    let keys = LinkLogKeys(master: SymmetricKey(data: Data(repeating: 1, count: 32)))

    @Test func createsTheDatabaseInWALModeWithTheIdentifierIndex() async throws {
        let store = try SQLiteIdentityStore(path: path, rules: .default, keys: keys)
        try await store.ping()
        #expect(try sqlite("PRAGMA journal_mode;").output.trimmingCharacters(in: .whitespacesAndNewlines) == "wal")
        let plan = try sqlite("EXPLAIN QUERY PLAN SELECT customer_id FROM links WHERE kind = 'email' AND namespace = '' AND value = 'a@example.com';").output
        #expect(plan.contains("USING INDEX sqlite_autoindex_links_1 (kind=? AND namespace=? AND value=?)"), "lookup uses the identifier index: \(plan)")
        let customerPlan = try sqlite("EXPLAIN QUERY PLAN SELECT created_at FROM customers WHERE id = 'cus_x';").output
        #expect(customerPlan.contains("USING INDEX sqlite_autoindex_customers_1 (id=?)"), "\(customerPlan)")
        #expect(try graphTableDefinitions().allSatisfy { !$0.contains("WITHOUT ROWID") }, "customers and links are rowid tables")
    }

    /// The `CREATE TABLE` statements of customers and links.
    func graphTableDefinitions() throws -> [String] {
        let result = try sqlite("SELECT sql FROM sqlite_master WHERE type = 'table' AND name IN ('customers', 'links') ORDER BY name;")
        #expect(result.status == 0, "\(result.output)")
        return result.output.components(separatedBy: "CREATE TABLE").dropFirst().map { "CREATE TABLE" + $0 }
    }

    /// `quotedNames`: the tables' stored definitions name them in quotes, as after an `ALTER TABLE …
    /// RENAME`; otherwise as the first migration wrote them.
    @Test(arguments: [false, true])
    func movesWithoutRowidGraphTablesToRowidTables(quotedNames: Bool) async throws {
        let email = { (value: String) in Identifier(trustedKind: .email, namespace: nil, value: value) }
        let card = Identifier(trustedKind: .loyaltyCard, namespace: "plussa", value: "6012345678901234")
        let (anna, bert): (CustomerID, CustomerID)
        let merge: MergeID
        do {
            let store = try SQLiteIdentityStore(path: path, rules: .default, keys: keys)
            let context = ChangeContext(actor: "test")
            anna = try await store.createCustomer(
                NewCustomer(identifiers: [.init(identifier: email("anna@example.com"), assurance: .verified), .init(identifier: card, assurance: .asserted)],
                            profile: Profile(givenName: "Anna")),
                context: context
            ).id
            bert = try await store.createCustomer(NewCustomer(identifiers: [.init(identifier: email("bert@example.com"), assurance: .asserted)]), context: context).id
            merge = try await store.merge(survivor: anna, duplicate: bert, context: context).id
        }
        let dump = "SELECT * FROM customers ORDER BY id; SELECT * FROM links ORDER BY kind, namespace, value;"
        let before = try sqlite(dump).output
        let indexesBefore = try indexes()
        // Put the tables back as the migrations before this one left them: WITHOUT ROWID.
        let downgrade = try sqlite("""
            CREATE TABLE old_customers (id TEXT PRIMARY KEY NOT NULL, created_at INTEGER NOT NULL, profile TEXT,
                status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged', 'erased')),
                merged_into TEXT, merge_id TEXT, erased_at INTEGER, log_key BLOB) WITHOUT ROWID;
            INSERT INTO old_customers SELECT id, created_at, profile, status, merged_into, merge_id, erased_at, log_key FROM customers;
            DROP TABLE customers;
            ALTER TABLE old_customers RENAME TO customers;
            CREATE INDEX customers_by_merged_into ON customers(merged_into) WHERE merged_into IS NOT NULL;
            CREATE TABLE old_links (kind TEXT NOT NULL, namespace TEXT NOT NULL, value TEXT NOT NULL,
                customer_id TEXT NOT NULL REFERENCES customers(id), channel TEXT NOT NULL,
                assurance TEXT NOT NULL CHECK (assurance IN ('inferred', 'asserted', 'verified')), linked_at INTEGER NOT NULL,
                PRIMARY KEY (kind, namespace, value)) WITHOUT ROWID;
            INSERT INTO old_links SELECT kind, namespace, value, customer_id, channel, assurance, linked_at FROM links;
            DROP TABLE links;
            ALTER TABLE old_links RENAME TO links;
            CREATE INDEX links_by_customer ON links(customer_id);
            DELETE FROM grdb_migrations WHERE identifier = '2026-11-26-graph-tables-with-rowid';
            """ + (quotedNames ? "" : """
            PRAGMA writable_schema = ON;
            UPDATE sqlite_master SET sql = replace(sql, 'CREATE TABLE "' || name || '"', 'CREATE TABLE ' || name)
                WHERE type = 'table' AND name IN ('customers', 'links');
            PRAGMA writable_schema = OFF;
            """))
        #expect(downgrade.status == 0, "\(downgrade.output)")
        let head = quotedNames ? "CREATE TABLE \"" : "CREATE TABLE "
        #expect(try graphTableDefinitions().map { $0.hasPrefix(head + "customers") || $0.hasPrefix(head + "links") } == [true, true])
        #expect(try graphTableDefinitions().filter { $0.contains("WITHOUT ROWID") }.count == 2)
        #expect(try sqlite(dump).output == before)

        let store = try SQLiteIdentityStore(path: path, rules: .default, keys: keys)
        #expect(try graphTableDefinitions().count == 2)
        #expect(try graphTableDefinitions().allSatisfy { !$0.contains("WITHOUT ROWID") })
        #expect(try sqlite(dump).output == before, "every row as it was")
        #expect(try indexes() == indexesBefore)
        #expect(try sqlite("PRAGMA foreign_key_check;").output.isEmpty)
        // The graph works as before: resolve (through the merge), conflicts, new customers.
        #expect(try await store.resolve(email("bert@example.com"))?.customerID == anna)
        #expect(try await store.customerStatus(bert) == .merged(into: anna, merge: merge))
        let carl = try await store.createCustomer(NewCustomer(identifiers: [.init(identifier: email("carl@example.com"), assurance: .asserted)]), context: ChangeContext(actor: "test")).id
        await #expect(throws: IdentityGraphError.conflict(kind: .loyaltyCard, namespace: "plussa", owner: anna, requested: carl)) {
            _ = try await store.link(card, to: carl, assurance: .asserted, context: ChangeContext(actor: "test"))
        }
        #expect(try await store.statistics().links == 4)
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

    /// Each prepared batch carries its entries' leaf hashes, numbered after the log and the
    /// batches prepared before it; when the writes go as prepared, every one is the hash of the
    /// entry stored at that number.
    @Test func preparedBatchesHashTheirLeavesForTheSequenceNumbersTheyGet() async throws {
        let store = try SQLiteIdentityStore(path: path, rules: .default, keys: keys)
        _ = try await store.createCustomer(customers("first@example.com")[0], context: ChangeContext(actor: "webshop"))
        let importing = ChangeContext(actor: "import")
        let a = try await store.prepareImport(customers("a@example.com", "b@example.com"), context: importing)
        let b = try await store.prepareImport(customers("c@example.com", "a@example.com", "d@example.com"), context: importing)
        #expect(a.leaves?.firstSequence == 3 && a.leaves?.hashes.count == 4)
        #expect(b.leaves?.firstSequence == 7 && b.leaves?.hashes.count == 6)
        _ = try await store.importCustomers(a)
        // The second batch's "a@example.com" is refused in the write: the entries after it shift.
        #expect(try await store.importCustomers(b).map { (try? $0.get()) != nil } == [true, false, true])
        let c = try await store.prepareImport(customers("e@example.com"), context: importing)
        #expect(c.leaves?.firstSequence == 11, "after the log's real end")
        _ = try await store.importCustomers(c)

        let stored = try await store.linkLog(customer: nil, after: nil, limit: 100).map { TreeHasher.leafHash(of: $0.leafBytes) }
        #expect(stored.count == 12)
        #expect(Array(stored[2..<6]) == a.leaves?.hashes)
        #expect(Array(stored[6..<8]) == b.leaves.map { Array($0.hashes[0..<2]) }, "before the refused customer")
        #expect(stored[8] != b.leaves?.hashes[4], "after it, not as predicted")
        #expect(Array(stored[10..<12]) == c.leaves?.hashes)
        #expect(try await store.logTreeHead().root == TreeHasher.rootHash(leafHashes: stored).bytes)
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
