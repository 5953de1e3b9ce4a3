public import IdentityGraph
import Foundation
import GRDB

/// The verifiable link log: tree heads, proofs and signed checkpoints.
extension SQLiteIdentityStore {
    public func logTreeHead() async throws -> LogTreeHead {
        try await read { db in try SQLiteVerifiableLog.treeHead(db: db) }
    }

    public func logRoot(size: UInt64) async throws -> [UInt8] {
        try await read { db in try SQLiteVerifiableLog.root(size: size, db: db) }
    }

    // Proofs are a few dozen node reads: on the lookup connections, without GRDB's pool.

    public func logInclusionProof(index: UInt64, size: UInt64) async throws -> [[UInt8]] {
        try database.lookups.withLogTree { tree in try SQLiteVerifiableLog.inclusionProof(index: index, size: size, tree: tree) }
    }

    public func logConsistencyProof(from: UInt64, to: UInt64) async throws -> [[UInt8]] {
        try database.lookups.withLogTree { tree in try SQLiteVerifiableLog.consistencyProof(from: from, to: to, tree: tree) }
    }

    public func saveCheckpoint(_ checkpoint: StoredCheckpoint) async throws -> StoredCheckpoint {
        try await write { db in
            let root = try SQLiteVerifiableLog.root(size: checkpoint.size, db: db)
            guard root == checkpoint.root else {
                throw IdentityGraphError.storage("a checkpoint's root does not match the stored log at its size")
            }
            if let existing = try Row.fetchOne(db, sql: "SELECT * FROM log_checkpoints WHERE size = ?", arguments: [Int64(checkpoint.size)]) {
                let stored = Self.checkpoint(from: existing)
                guard stored.root == checkpoint.root else {
                    throw IdentityGraphError.storage("two different roots for one log size")
                }
                return stored
            }
            try db.execute(sql: "INSERT INTO log_checkpoints (size, root, note, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [Int64(checkpoint.size), Data(checkpoint.root), checkpoint.note, Self.millis(checkpoint.createdAt)])
            return checkpoint
        }
    }

    public func latestCheckpoint() async throws -> StoredCheckpoint? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM log_checkpoints ORDER BY size DESC LIMIT 1").map(Self.checkpoint(from:))
        }
    }

    private static func checkpoint(from row: Row) -> StoredCheckpoint {
        let root: Data = row["root"]
        let size: Int64 = row["size"]
        return StoredCheckpoint(size: UInt64(size), root: Array(root), note: row["note"], createdAt: date(row["created_at"]))
    }
}
