import Crypto
import Foundation
import Identifiers
import IdentityGraph
import SQLiteStore
import Testing
import VerifiableLog

/// The link log's tree as SQLite stores it: tiles that only grow, and the move from the node
/// rows of earlier versions.
struct SQLiteLogTreeTests: SQLiteFileSuite {
    let path = Self.temporaryPath("solmu-sqlite-tree")
    let keys = LinkLogKeys(master: SymmetricKey(data: Data(repeating: 2, count: 32)))

    /// Creates `count` customers of three identifiers each: four entries apiece.
    func populate(_ store: SQLiteIdentityStore, count: Int, from first: Int = 0) async throws {
        for number in first..<(first + count) {
            _ = try await store.createCustomer(NewCustomer(identifiers: [
                .init(identifier: Identifier(trustedKind: .email, namespace: nil, value: "c\(number)@example.com"), assurance: .asserted),
                .init(identifier: Identifier(trustedKind: .phone, namespace: nil, value: "+35840\(1_000_000 + number)"), assurance: .asserted),
                .init(identifier: Identifier(trustedKind: .social, namespace: "x", value: "c\(number)"), assurance: .asserted),
            ]), context: ChangeContext(actor: "test"))
        }
    }

    /// The tree recomputed in memory from the entries, the auditor's way.
    func recomputed(_ store: SQLiteIdentityStore) async throws -> MerkleTree<InMemoryTreeNodeStore> {
        var tree = MerkleTree()
        for entry in try await store.linkLog(customer: nil, after: nil, limit: 100_000) {
            try tree.append(entry: entry.leafBytes)
        }
        return tree
    }

    @Test func theTreeIsStoredAsTilesOfEveryFourthLevel() async throws {
        let store = try SQLiteIdentityStore(path: path, rules: .default, keys: keys)
        try await populate(store, count: 75) // 300 entries, one transaction per customer
        let tree = try await recomputed(store)
        #expect(try await store.logTreeHead() == LogTreeHead(size: 300, root: tree.root.bytes))
        // 300 leaves: 18 full tiles and one of 12; 18 nodes of level 4: a full tile and one of 2;
        // level 8: one node.
        let tiles = try sqlite("SELECT level || '/' || count(*) || '/' || sum(length(hashes)) FROM log_tree_tiles GROUP BY level ORDER BY level;").output
        #expect(tiles == "0/19/\(300 * 32)\n4/2/\(18 * 32)\n8/1/32")
        for (index, size) in [(0, 300), (17, 300), (299, 300), (100, 257)] as [(UInt64, UInt64)] {
            #expect(try await store.logInclusionProof(index: index, size: size) == tree.inclusionProof(index: index, size: size).map(\.bytes))
        }
        #expect(try await store.logConsistencyProof(from: 33, to: 300) == tree.consistencyProof(from: 33, to: 300).map(\.bytes))
    }

    @Test func aStoredHashNeverChanges() async throws {
        let store = try SQLiteIdentityStore(path: path, rules: .default, keys: keys)
        try await populate(store, count: 5)
        let before = try await store.logTreeHead()
        for sql in [
            "UPDATE log_tree_tiles SET hashes = zeroblob(32) || substr(hashes, 33) WHERE level = 0 AND idx = 0;", // a changed hash
            "UPDATE log_tree_tiles SET hashes = substr(hashes, 1, 32) WHERE level = 0 AND idx = 1;",              // shrinking
            "UPDATE log_tree_tiles SET idx = 7 WHERE level = 0 AND idx = 1;",                                      // moving
            "DELETE FROM log_tree_tiles WHERE level = 0;",
        ] {
            let result = try sqlite(sql)
            #expect(result.status != 0, "\(sql) was allowed")
            #expect(result.output.contains("the log tree"), "\(result.output)")
        }
        #expect(try await store.logTreeHead() == before)
        // Growing a tile by a hash the tree never had is the one change the trigger lets through;
        // the next append's own tile then no longer extends the stored one, and the trigger
        // refuses the whole transaction.
        let tile = try sqlite("SELECT hex(hashes) FROM log_tree_tiles WHERE level = 0 AND idx = 1;").output
        #expect(tile.count == 4 * 64)
        let grown = try sqlite("UPDATE log_tree_tiles SET hashes = X'\(tile)\(String(repeating: "0", count: 64))' WHERE level = 0 AND idx = 1;")
        #expect(grown.status == 0, "\(grown.output)")
        await #expect(throws: IdentityGraphError.self) { try await populate(store, count: 1, from: 5) }
        #expect(try await store.statistics() == StoreStatistics(customers: 5, links: 15, logEntries: 20))
    }

    @Test func aDatabaseWithOneRowPerNodeMovesToTiles() async throws {
        var expected: MerkleTree<InMemoryTreeNodeStore>
        do {
            let store = try SQLiteIdentityStore(path: path, rules: .default, keys: keys)
            try await populate(store, count: 41) // 164 entries
            expected = try await recomputed(store)
        }
        // Put the database back as the version before tiles left it: a row per node.
        var rows: [String] = []
        for level in 0..<64 {
            var index: UInt64 = 0
            while let hash = expected.store.get(level: level, index: index) {
                rows.append("(\(level), \(index), X'\(hash.bytes.map { String(format: "%02x", $0) }.joined())')")
                index += 1
            }
            if index == 0 { break }
        }
        #expect(rows.count == 2 * 164 - 164.nonzeroBitCount)
        let downgrade = try sqlite("""
            DROP TABLE log_tree_tiles;
            DELETE FROM grdb_migrations WHERE identifier = '2026-11-25-log-tree-tiles';
            CREATE TABLE log_tree_nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID;
            INSERT INTO log_tree_nodes (level, idx, hash) VALUES \(rows.joined(separator: ", "));
            """)
        #expect(downgrade.status == 0, "\(downgrade.output)")

        let store = try SQLiteIdentityStore(path: path, rules: .default, keys: keys)
        #expect(try sqlite("SELECT count(*) FROM sqlite_master WHERE name = 'log_tree_nodes';").output == "0")
        #expect(try sqlite("SELECT count(*) FROM log_tree_tiles;").output == "\(11 + 1)")
        #expect(try await store.logTreeHead() == LogTreeHead(size: 164, root: expected.root.bytes))
        #expect(try await store.logInclusionProof(index: 100, size: 164) == expected.inclusionProof(index: 100, size: 164).map(\.bytes))
        // Appends continue the moved tiles.
        try await populate(store, count: 3, from: 41)
        #expect(try await store.logTreeHead() == LogTreeHead(size: 176, root: try await recomputed(store).root.bytes))
    }
}
