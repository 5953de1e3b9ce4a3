public import IdentityGraph
import Foundation
import NIOCore
import PostgresNIO
import VerifiableLog

/// The verifiable link log: tree heads, proofs and signed checkpoints. Each read runs in one
/// snapshot, so the size it checks against and the nodes it reads agree.
extension PostgresIdentityStore {
    public func logTreeHead() async throws -> LogTreeHead {
        try await database.read { connection in
            try await PostgresVerifiableLog.withTree(connection, logger: self.logger) { tree in
                LogTreeHead(size: tree.size, root: tree.root.bytes)
            }
        }
    }

    public func logRoot(size: UInt64) async throws -> [UInt8] {
        try await database.read { connection in try await self.root(size: size, connection: connection) }
    }

    public func logInclusionProof(index: UInt64, size: UInt64) async throws -> [[UInt8]] {
        try await database.read { connection in
            try await PostgresVerifiableLog.withTree(connection, logger: self.logger) { tree in
                guard index < size, size <= tree.size else {
                    throw IdentityGraphError.logRange("an inclusion proof needs index < size <= \(tree.size)")
                }
                return try tree.inclusionProof(index: index, size: size).map(\.bytes)
            }
        }
    }

    public func logConsistencyProof(from: UInt64, to: UInt64) async throws -> [[UInt8]] {
        try await database.read { connection in
            try await PostgresVerifiableLog.withTree(connection, logger: self.logger) { tree in
                guard 0 < from, from <= to, to <= tree.size else {
                    throw IdentityGraphError.logRange("a consistency proof needs 0 < from <= to <= \(tree.size)")
                }
                return from == to ? [] : try tree.consistencyProof(from: from, to: to).map(\.bytes)
            }
        }
    }

    /// Inserts the checkpoint unless its size has one (`ON CONFLICT DO NOTHING`), then returns
    /// the stored one: concurrent signers on several instances all get the same checkpoint.
    public func saveCheckpoint(_ checkpoint: StoredCheckpoint) async throws -> StoredCheckpoint {
        try await database.transaction { connection in
            let root = try await self.root(size: checkpoint.size, connection: connection)
            guard root == checkpoint.root else {
                throw IdentityGraphError.storage("a checkpoint's root does not match the stored log at its size")
            }
            try await connection.execute("""
                INSERT INTO log_checkpoints (size, root, note, created_at)
                VALUES (\(Int64(checkpoint.size)), \(ByteBuffer(bytes: checkpoint.root)), \(checkpoint.note), \(Self.millis(checkpoint.createdAt)))
                ON CONFLICT (size) DO NOTHING
                """, logger: self.logger)
            guard let row = try await connection.rows(
                "SELECT * FROM log_checkpoints WHERE size = \(Int64(checkpoint.size))", logger: self.logger
            ).first else {
                throw IdentityGraphError.storage("a checkpoint vanished")
            }
            let stored = try Self.checkpoint(from: row)
            guard stored.root == checkpoint.root else {
                throw IdentityGraphError.storage("two different roots for one log size")
            }
            return stored
        }
    }

    public func latestCheckpoint() async throws -> StoredCheckpoint? {
        try await database.withConnection { connection in
            try await connection.rows("SELECT * FROM log_checkpoints ORDER BY size DESC LIMIT 1", logger: self.logger)
                .first.map(Self.checkpoint(from:))
        }
    }

    private func root(size: UInt64, connection: PostgresConnection) async throws -> [UInt8] {
        try await PostgresVerifiableLog.withTree(connection, logger: logger) { tree in
            guard size <= tree.size else { throw IdentityGraphError.logRange("size \(size) exceeds the log's \(tree.size) entries") }
            return try tree.root(size: size).bytes
        }
    }

    private static func checkpoint(from row: PostgresRandomAccessRow) throws -> StoredCheckpoint {
        let root = try row.value("root", as: ByteBuffer.self)
        return StoredCheckpoint(
            size: UInt64(try row.value("size", as: Int64.self)), root: Array(root.readableBytesView), note: try row.value("note"),
            createdAt: date(try row.value("created_at"))
        )
    }
}
