import Foundation
import GRDB
import IdentityGraph
import Synchronization
import VerifiableLog

/// The link log as an RFC 9162 Merkle tree in SQLite: table `log_tree_nodes` holds the hash of
/// every perfect subtree, written in the same transaction as the entry whose leaf completes it.
///
/// The writer keeps the tree's compact range in memory between transactions. At the first append
/// of each transaction it checks that the range still describes the stored log (same size, same
/// last leaf): after an entry another process appended, it reloads the O(log n) nodes. A rolled-back
/// transaction drops the range, and so does a rolled-back savepoint (``invalidate()``).
final class SQLiteVerifiableLog: Sendable {
    private struct State {
        var tree: MerkleTree<PendingNodes>
        var lastLeaf: TreeHash?
        /// Checked against the stored log in the current transaction.
        var checked = false
    }

    private let state = Mutex<State?>(nil)

    /// Appends the leaf of the entry just inserted with `sequence`. Inside the entry's transaction.
    func append(_ entry: LinkLogEntry, db: Database) throws {
        let leaf = TreeHasher.leafHash(of: entry.leafBytes)
        let expected = UInt64(entry.sequence - 1)
        try state.withLock { state in
            if state?.checked != true {
                var current = state?.tree.size == expected
                if current, expected > 0 {
                    current = try state?.lastLeaf == Self.node(level: 0, index: expected - 1, db: db)
                }
                if !current {
                    state = State(tree: try MerkleTree(store: PendingNodes(preloading: expected, db: db), size: expected), lastLeaf: nil)
                }
                state!.checked = true
                // Committed: check again next time (another process may write in between).
                // Rolled back: the range holds leaves the database does not.
                db.afterNextTransaction(
                    onCommit: { [self] _ in self.state.withLock { $0?.checked = false } },
                    onRollback: { [self] _ in self.invalidate() }
                )
            } else if state!.tree.size != expected {
                throw IdentityGraphError.storage("the link log's tree is out of step with its entries")
            }
            try state!.tree.append(leafHash: leaf)
            state!.lastLeaf = leaf
            try state!.tree.store.drain { node in
                try Self.insertNode(level: node.level, index: node.index, hash: node.hash, db: db)
            }
        }
    }

    /// Forgets the in-memory range: after a savepoint or transaction rolled back appends.
    func invalidate() {
        state.withLock { $0 = nil }
    }

    /// Builds the tree of the entries already in `link_log` (for the migration that adds it).
    static func backfill(db: Database) throws {
        var tree = try MerkleTree(store: DatabaseNodes(db: db), size: 0)
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM link_log ORDER BY sequence")
        while let row = try cursor.next() {
            let entry = try SQLiteIdentityStore.logEntry(from: row)
            guard UInt64(entry.sequence) == tree.size + 1 else { throw IdentityGraphError.storage("link_log has a gap") }
            try tree.append(leafHash: TreeHasher.leafHash(of: entry.leafBytes))
        }
    }

    // MARK: - Reads

    static func treeHead(db: Database) throws -> LogTreeHead {
        let size = UInt64(try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(sequence), 0) FROM link_log") ?? 0)
        let tree = try MerkleTree(store: DatabaseNodes(db: db), size: size)
        return LogTreeHead(size: size, root: tree.root.bytes)
    }

    static func root(size: UInt64, db: Database) throws -> [UInt8] {
        let tree = try openTree(db: db)
        guard size <= tree.size else { throw IdentityGraphError.logRange("size \(size) exceeds the log's \(tree.size) entries") }
        return try tree.root(size: size).bytes
    }

    static func inclusionProof(index: UInt64, size: UInt64, tree: MerkleTree<some TreeNodeStore>) throws -> [[UInt8]] {
        guard index < size, size <= tree.size else {
            throw IdentityGraphError.logRange("an inclusion proof needs index < size <= \(tree.size)")
        }
        return try tree.inclusionProof(index: index, size: size).map(\.bytes)
    }

    static func consistencyProof(from: UInt64, to: UInt64, tree: MerkleTree<some TreeNodeStore>) throws -> [[UInt8]] {
        guard 0 < from, from <= to, to <= tree.size else {
            throw IdentityGraphError.logRange("a consistency proof needs 0 < from <= to <= \(tree.size)")
        }
        return from == to ? [] : try tree.consistencyProof(from: from, to: to).map(\.bytes)
    }

    private static func openTree(db: Database) throws -> MerkleTree<DatabaseNodes> {
        let size = UInt64(try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(sequence), 0) FROM link_log") ?? 0)
        return try MerkleTree(store: DatabaseNodes(db: db), size: size)
    }

    static func insertNode(level: Int, index: UInt64, hash: TreeHash, db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO log_tree_nodes (level, idx, hash) VALUES (?, ?, ?)").executeDirect {
            $0.bind(Int64(level))
            $0.bind(Int64(index))
            $0.bind(hash.bytes)
        }
    }

    static func node(level: Int, index: UInt64, db: Database) throws -> TreeHash? {
        guard let data = try Data.fetchOne(
            db.cachedStatement(sql: "SELECT hash FROM log_tree_nodes WHERE level = ? AND idx = ?"), arguments: [level, Int64(index)]
        ) else { return nil }
        return TreeHash(bytes: data)
    }
}

/// Nodes read from and written to `log_tree_nodes` directly, inside one database access.
private struct DatabaseNodes: TreeNodeStore {
    let db: Database

    func get(level: Int, index: UInt64) throws -> TreeHash? {
        try SQLiteVerifiableLog.node(level: level, index: index, db: db)
    }

    mutating func put(level: Int, index: UInt64, hash: TreeHash) throws {
        try SQLiteVerifiableLog.insertNode(level: level, index: index, hash: hash, db: db)
    }
}

/// The writer's store: the compact range's nodes preloaded, new nodes buffered until the
/// transaction writes them. Used only under the writer's lock.
private final class PendingNodes: TreeNodeStore, @unchecked Sendable {
    private var preloaded: [Int: [UInt64: TreeHash]] = [:]
    private var pending: [(level: Int, index: UInt64, hash: TreeHash)] = []

    init(preloading size: UInt64, db: Database) throws {
        for (level, index) in TreeMath.perfectSubtrees(size: size) {
            if let hash = try SQLiteVerifiableLog.node(level: level, index: index, db: db) {
                preloaded[level, default: [:]][index] = hash
            }
        }
    }

    func get(level: Int, index: UInt64) throws -> TreeHash? {
        preloaded[level]?[index]
    }

    func put(level: Int, index: UInt64, hash: TreeHash) throws {
        pending.append((level, index, hash))
    }

    /// Hands each node put since the last drain to `body`, in order, and forgets them.
    func drain(_ body: ((level: Int, index: UInt64, hash: TreeHash)) throws -> Void) rethrows {
        defer { pending.removeAll(keepingCapacity: true) }
        for node in pending { try body(node) }
    }
}
