import Foundation
import IdentityGraph
import Identifiers
import Logging
import NIOCore
import PostgresNIO
import Synchronization
import VerifiableLog

/// The link log as an RFC 9162 Merkle tree in PostgreSQL: table `log_tree_nodes` holds the hash
/// of every perfect subtree, written in the same transaction as the entries whose leaves
/// complete it, under the lock on `log_head` that also hands out their sequence numbers.
///
/// Between transactions the writer remembers the compact range of the last size it committed.
/// The range of a size never changes (the log is append-only), so it is reused when `log_head`
/// still has that size and reloaded (O(log n) nodes, one query) after another instance appended.
final class PostgresVerifiableLog: Sendable {
    /// A tree size and the hashes of its compact range.
    struct Range: Sendable {
        var size: UInt64
        var nodes: [NodeKey: TreeHash]
    }

    struct NodeKey: Hashable, Sendable {
        var level: Int
        var index: UInt64
    }

    private let committed = Mutex<Range?>(nil)

    /// Locks `log_head` for the rest of the transaction and returns the log's size.
    static func lockHead(_ connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        guard let row = try await connection.rows("SELECT size FROM log_head WHERE id FOR UPDATE", logger: logger).first else {
            throw IdentityGraphError.storage("log_head has no row")
        }
        return try row.value("size", as: Int64.self)
    }

    /// Writes `batch`'s entries, their tree nodes and the new size. Inside the transaction that
    /// locked `log_head`; returns the range to remember once it commits.
    func flush(_ batch: LogBatch, connection: PostgresConnection, logger: Logger) async throws -> Range? {
        guard !batch.records.isEmpty else { return nil }
        let start = UInt64(batch.start)
        let records = batch.records
        try await Self.insertEntries(records, firstSequence: batch.start + 1, connection: connection, logger: logger)
        try await Self.insertDetails(batch.details, connection: connection, logger: logger)

        var nodes: [NodeKey: TreeHash]
        if let cached = committed.withLock({ $0 }), cached.size == start {
            nodes = cached.nodes
        } else {
            nodes = try await Self.fetch(Set(TreeMath.perfectSubtrees(size: start).map { NodeKey(level: $0.level, index: $0.index) }),
                                         connection: connection, logger: logger)
        }
        let store = NodeMap(nodes: nodes)
        var tree = try MerkleTree(store: store, size: start)
        for (offset, record) in records.enumerated() {
            let entry = LinkLogEntry(sequence: batch.start + 1 + Int64(offset), record: record)
            try tree.append(leafHash: TreeHasher.leafHash(of: entry.leafBytes))
        }
        let written = store.written
        try await connection.execute("""
            INSERT INTO log_tree_nodes (level, idx, hash)
            SELECT * FROM unnest(\(written.map { Int32($0.key.level) })::integer[], \(written.map { Int64($0.key.index) })::bigint[],
                                 \(written.map { ByteBuffer(bytes: $0.hash.bytes) })::bytea[])
            """, logger: logger)
        let size = tree.size
        try await connection.execute("UPDATE log_head SET size = \(Int64(size)) WHERE id", logger: logger)

        for (key, hash) in written { nodes[key] = hash }
        var range = Range(size: size, nodes: [:])
        for (level, index) in TreeMath.perfectSubtrees(size: size) {
            let key = NodeKey(level: level, index: index)
            guard let hash = nodes[key] else { return nil }
            range.nodes[key] = hash
        }
        return range
    }

    /// Remembers the range of a committed size, unless a larger one is known already.
    func remember(_ range: Range?) {
        guard let range else { return }
        committed.withLock { current in
            if (current?.size ?? 0) <= range.size { current = range }
        }
    }

    private static func insertEntries(_ records: [LinkLogRecord], firstSequence: Int64, connection: PostgresConnection, logger: Logger) async throws {
        let sequences = records.indices.map { firstSequence + Int64($0) }
        try await connection.execute("""
            INSERT INTO link_log (sequence, time, actor, action, customer_id, kind, namespace, value_hash, assurance, reason,
                                  operator, related_customer_id, merge_id)
            SELECT * FROM unnest(
                \(sequences)::bigint[], \(records.map { PostgresIdentityStore.millis($0.time) })::bigint[],
                \(records.map(\.actor))::text[], \(records.map(\.action.rawValue))::text[], \(records.map(\.customerID.rawValue))::text[],
                \(NullableTextArray(records.map { $0.identifierKind?.rawValue }))::text[], \(NullableTextArray(records.map(\.namespace)))::text[],
                \(NullableTextArray(records.map(\.valueHash)))::text[], \(NullableTextArray(records.map { $0.assurance?.rawValue }))::text[],
                \(NullableTextArray(records.map(\.reason)))::text[], \(NullableTextArray(records.map(\.operatorName)))::text[],
                \(NullableTextArray(records.map { $0.relatedCustomerID?.rawValue }))::text[],
                \(NullableTextArray(records.map { $0.mergeID?.rawValue }))::text[]
            )
            """, logger: logger)
    }

    private static func insertDetails(_ details: [LogBatch.Detail], connection: PostgresConnection, logger: Logger) async throws {
        guard !details.isEmpty else { return }
        try await connection.execute("""
            INSERT INTO link_log_details (sequence, lookup, sealed)
            SELECT * FROM unnest(\(details.map(\.sequence))::bigint[], \(NullableTextArray(details.map(\.lookup)))::text[],
                                 \(details.map { ByteBuffer(bytes: $0.sealed) })::bytea[])
            """, logger: logger)
    }

    // MARK: - Reads

    /// The log's size as of `connection`'s snapshot.
    static func size(_ connection: PostgresConnection, logger: Logger) async throws -> UInt64 {
        guard let row = try await connection.rows("SELECT size FROM log_head WHERE id", logger: logger).first else {
            throw IdentityGraphError.storage("log_head has no row")
        }
        return UInt64(try row.value("size", as: Int64.self))
    }

    /// Runs `body` over the tree of the current size, fetching the nodes it reads.
    ///
    /// Which nodes a root or proof reads depends only on sizes and indexes, never on hashes: a
    /// first pass with placeholder hashes records them, one query fetches them all, and a second
    /// pass computes the answer.
    static func withTree<T>(
        _ connection: PostgresConnection, logger: Logger, _ body: (MerkleTree<NodeMap>) throws -> T
    ) async throws -> T {
        let size = try await Self.size(connection, logger: logger)
        let store = NodeMap(nodes: [:])
        for _ in 0..<3 {
            store.recording = true
            store.missing = []
            let result = Result { try body(MerkleTree(store: store, size: size)) }
            if store.missing.isEmpty {
                return try result.get()
            }
            let fetched = try await fetch(store.missing, connection: connection, logger: logger)
            guard fetched.count == store.missing.count else {
                throw IdentityGraphError.storage("log_tree_nodes lacks nodes of the stored log")
            }
            store.nodes.merge(fetched) { old, _ in old }
        }
        throw IdentityGraphError.storage("log tree nodes kept missing")
    }

    static func fetch(_ keys: Set<NodeKey>, connection: PostgresConnection, logger: Logger) async throws -> [NodeKey: TreeHash] {
        guard !keys.isEmpty else { return [:] }
        let keys = Array(keys)
        let rows = try await connection.rows("""
            SELECT n.level, n.idx, n.hash FROM log_tree_nodes AS n
            JOIN unnest(\(keys.map { Int32($0.level) })::integer[], \(keys.map { Int64($0.index) })::bigint[]) AS k (level, idx)
              ON n.level = k.level AND n.idx = k.idx
            """, logger: logger)
        var nodes: [NodeKey: TreeHash] = [:]
        for row in rows {
            let level = try row.value("level", as: Int32.self)
            let index = try row.value("idx", as: Int64.self)
            guard let hash = TreeHash(bytes: try row.value("hash", as: ByteBuffer.self).readableBytesView) else {
                throw IdentityGraphError.storage("a log tree node is not 32 bytes")
            }
            nodes[NodeKey(level: Int(level), index: UInt64(index))] = hash
        }
        return nodes
    }
}

/// Nodes for one computation inside one transaction: known hashes, those written by appends, and
/// (while recording) the keys asked for but not known, answered with a placeholder.
final class NodeMap: TreeNodeStore {
    var nodes: [PostgresVerifiableLog.NodeKey: TreeHash]
    var written: [(key: PostgresVerifiableLog.NodeKey, hash: TreeHash)] = []
    var recording = false
    var missing: Set<PostgresVerifiableLog.NodeKey> = []

    init(nodes: [PostgresVerifiableLog.NodeKey: TreeHash]) {
        self.nodes = nodes
    }

    func get(level: Int, index: UInt64) throws -> TreeHash? {
        let key = PostgresVerifiableLog.NodeKey(level: level, index: index)
        if let hash = nodes[key] { return hash }
        guard recording else { return nil }
        missing.insert(key)
        return TreeHasher.emptyRoot
    }

    func put(level: Int, index: UInt64, hash: TreeHash) throws {
        let key = PostgresVerifiableLog.NodeKey(level: level, index: index)
        written.append((key, hash))
        nodes[key] = hash
    }
}
