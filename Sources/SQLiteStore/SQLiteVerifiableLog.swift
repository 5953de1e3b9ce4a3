import Foundation
import GRDB
import IdentityGraph
import Synchronization
import VerifiableLog

/// The link log as an RFC 9162 Merkle tree in SQLite: table `log_tree_tiles` holds the tree's
/// hashes as tiles (``Tiles``: the leaves and every fourth level, sixteen hashes a row), written in
/// the same transaction as the entries whose leaves they hold.
///
/// The writer keeps the tree's compact range and last tiles in memory between transactions. At
/// the first append of each transaction it checks that they still describe the stored log (same
/// size, same last leaf): after an entry another process appended, it reloads them. An append only
/// records the entry, or the leaf hash a bulk import computed for it ahead (``PredictedLeaves``);
/// ``flush(db:)``, which every write transaction that appends calls before it commits
/// (`SQLiteIdentityStore.write`), hashes the transaction's other entries, adds the leaves to the
/// tree and writes the tiles that changed. A rolled-back transaction drops the state.
final class SQLiteVerifiableLog: Sendable {
    private struct State {
        var tree: MerkleTree<TileWriter>
        /// The hashes of the leaves appended in this transaction, added to the tree by
        /// ``flush(db:)``; a placeholder where an entry still has to be hashed.
        var pending: [TreeHash] = []
        /// The entries ``flush(db:)`` has to hash, with their places in `pending`.
        var unhashed: [(position: Int, entry: LinkLogEntry)] = []
        /// Checked against the stored log in the current transaction.
        var checked = false

        var isFlushed: Bool { pending.isEmpty && !tree.store.hasChanges }
    }

    private let state = Mutex<State?>(nil)

    /// Records the entry just inserted for the tree. Inside the entry's transaction, which calls
    /// ``flush(db:)`` before it commits.
    func append(_ entry: LinkLogEntry, db: Database) throws {
        try append(sequence: entry.sequence, leafHash: nil, entry: entry, db: db)
    }

    /// Records the leaf hash of the entry just inserted with `sequence`, computed ahead.
    func append(sequence: Int64, leafHash: TreeHash, db: Database) throws {
        try append(sequence: sequence, leafHash: leafHash, entry: nil, db: db)
    }

    /// Either `leafHash` or `entry` is given.
    private func append(sequence: Int64, leafHash: TreeHash?, entry: LinkLogEntry?, db: Database) throws {
        let expected = UInt64(sequence - 1)
        try state.withLock { state in
            if state?.checked != true {
                var current = state?.tree.size == expected && state?.isFlushed == true
                if current, expected > 0 {
                    // The last leaf in memory (the writer's last tile) against the stored one.
                    current = try state?.tree.store.get(level: 0, index: expected - 1) == TileReader(DatabaseTiles(db: db)).get(level: 0, index: expected - 1)
                }
                if !current {
                    state = State(tree: try MerkleTree(store: TileWriter(size: expected, source: DatabaseTiles(db: db)), size: expected))
                }
                state!.checked = true
                // Committed: check again next time (another process may write in between).
                // Rolled back: the state holds leaves the database does not.
                db.afterNextTransaction(
                    onCommit: { [self] _ in
                        self.state.withLock { state in
                            // Leaves or tiles never flushed are not in the database: forget them, so
                            // that the next append reloads the tree and finds it out of step.
                            if state?.isFlushed == false { state = nil } else { state?.checked = false }
                        }
                    },
                    onRollback: { [self] _ in self.invalidate() }
                )
            } else if state!.tree.size + UInt64(state!.pending.count) != expected {
                throw IdentityGraphError.storage("the link log's tree is out of step with its entries")
            }
            if let entry {
                state!.unhashed.append((state!.pending.count, entry))
            }
            state!.pending.append(leafHash ?? TreeHasher.emptyRoot)
        }
    }

    /// Hashes the entries of this transaction into the tree (a large batch on all cores) and
    /// writes the tiles that changed. Before the transaction commits.
    func flush(db: Database) throws {
        try state.withLock { state in
            guard state != nil, !state!.isFlushed else { return }
            var leaves: [TreeHash] = []
            swap(&leaves, &state!.pending)
            for (hash, unhashed) in zip(Self.leafHashes(state!.unhashed.map(\.entry)), state!.unhashed) {
                leaves[unhashed.position] = hash
            }
            state!.unhashed.removeAll()
            try state!.tree.append(contentsOf: leaves)
            try state!.tree.withStore { tiles in try tiles.drain { level, index, hashes in
                try db.cachedStatement(sql: """
                    INSERT INTO log_tree_tiles (level, idx, hashes) VALUES (?, ?, ?)
                    ON CONFLICT (level, idx) DO UPDATE SET hashes = excluded.hashes
                    """).executeDirect {
                    $0.bind(Int64(level))
                    $0.bind(Int64(index))
                    $0.bind(hashes)
                }
            } }
        }
    }

    /// The entries' leaf hashes, in order; thousands of them (a bulk import's batch whose
    /// sequence numbers were not predicted) on all cores.
    private static func leafHashes(_ entries: [LinkLogEntry]) -> [TreeHash] {
        let workers = entries.count < 4_096 ? 1 : min(ProcessInfo.processInfo.activeProcessorCount, 8)
        return ConcurrentChunks.map(count: entries.count, workers: workers) { range in
            entries[range].map { TreeHasher.leafHash(of: $0.leafBytes) }
        }
    }

    /// Forgets the in-memory state: after a transaction rolled back appends.
    func invalidate() {
        state.withLock { $0 = nil }
    }

    /// Builds the tree of the entries already in `link_log` as one node per row in
    /// `log_tree_nodes` (for the migration that added that table; a later one turns it into tiles).
    static func backfill(db: Database) throws {
        var tree = try MerkleTree(store: NodeRows(db: db), size: 0)
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM link_log ORDER BY sequence")
        while let row = try cursor.next() {
            let entry = try SQLiteIdentityStore.logEntry(from: row)
            guard UInt64(entry.sequence) == tree.size + 1 else { throw IdentityGraphError.storage("link_log has a gap") }
            try tree.append(leafHash: TreeHasher.leafHash(of: entry.leafBytes))
        }
    }

    /// Moves the tree from `log_tree_nodes` (a row per node) into `log_tree_tiles`: the rows of
    /// the stored levels, sixteen to a tile.
    static func tileNodeRows(db: Database) throws {
        let cursor = try Row.fetchCursor(db, sql: "SELECT level, idx, hash FROM log_tree_nodes WHERE level % \(Tiles.height) = 0 ORDER BY level, idx")
        var tile: (level: Int, index: UInt64, hashes: [UInt8])?
        func write() throws {
            guard let tile else { return }
            try db.execute(sql: "INSERT INTO log_tree_tiles (level, idx, hashes) VALUES (?, ?, ?)",
                           arguments: [tile.level, Int64(tile.index), Data(tile.hashes)])
        }
        while let row = try cursor.next() {
            let level: Int = row["level"]
            let index = UInt64(row["idx"] as Int64)
            let hash: Data = row["hash"]
            let offset = Int(index % UInt64(Tiles.width))
            if tile?.level != level || tile?.index != index / UInt64(Tiles.width) {
                try write()
                tile = (level, index / UInt64(Tiles.width), [])
            }
            guard tile!.hashes.count == offset * TreeHash.byteCount, hash.count == TreeHash.byteCount else {
                throw IdentityGraphError.storage("log_tree_nodes has a gap or a malformed node at level \(level), node \(index)")
            }
            tile!.hashes += hash
        }
        try write()
    }

    // MARK: - Reads

    static func treeHead(db: Database) throws -> LogTreeHead {
        let size = UInt64(try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(sequence), 0) FROM link_log") ?? 0)
        let tree = try MerkleTree(store: TileReader(DatabaseTiles(db: db)), size: size)
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

    private static func openTree(db: Database) throws -> MerkleTree<TileReader<DatabaseTiles>> {
        let size = UInt64(try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(sequence), 0) FROM link_log") ?? 0)
        return try MerkleTree(store: TileReader(DatabaseTiles(db: db)), size: size)
    }
}

/// Tiles read from `log_tree_tiles` inside one database access.
struct DatabaseTiles: TileSource {
    let db: Database

    func tile(level: Int, index: UInt64) throws -> [UInt8]? {
        try Data.fetchOne(
            db.cachedStatement(sql: "SELECT hashes FROM log_tree_tiles WHERE level = ? AND idx = ?"), arguments: [level, Int64(index)]
        ).map { Array($0) }
    }
}

/// Nodes written one per row to `log_tree_nodes`, the layout before tiles (for its migration).
private struct NodeRows: TreeNodeStore {
    let db: Database

    func get(level: Int, index: UInt64) throws -> TreeHash? {
        try Data.fetchOne(
            db.cachedStatement(sql: "SELECT hash FROM log_tree_nodes WHERE level = ? AND idx = ?"), arguments: [level, Int64(index)]
        ).flatMap { TreeHash(bytes: $0) }
    }

    mutating func put(level: Int, index: UInt64, hash: TreeHash) throws {
        try db.execute(sql: "INSERT INTO log_tree_nodes (level, idx, hash) VALUES (?, ?, ?)", arguments: [level, Int64(index), Data(hash.bytes)])
    }
}
