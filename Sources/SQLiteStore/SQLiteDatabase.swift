import Foundation
import GRDB
import IdentityGraph

/// One SQLite database file in WAL mode, migrated to the schema this build knows. The identity
/// store and the login store share it, so that one file holds all of Solmu's state.
public final class SQLiteDatabase: Sendable {
    let pool: DatabasePool
    /// Read-only connections for the resolve lookup (see `SQLiteLookupConnections`).
    let lookups: SQLiteLookupConnections

    /// Opens (creating if needed) the database at `path` and migrates it.
    /// - Throws: `SQLiteStoreError` when the file cannot be opened or its schema is newer than
    ///   this build knows.
    public init(path: String, readers: Int = 8) throws {
        var configuration = Configuration()
        configuration.maximumReaderCount = readers
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // 16 KiB pages for a new database (an existing one keeps its own): the B-trees are a
            // level shallower and a bulk import writes about 14 % faster than with 4 KiB pages.
            // Only possible before the first table and WAL mode, hence here.
            try db.execute(sql: "PRAGMA page_size = 16384")
            // WAL with synchronous=NORMAL is durable across application crashes; a power loss may
            // lose the last transactions but never corrupts the database.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Reads go through a shared memory map of the file instead of a pread() copy per page,
            // and each connection keeps a page cache big enough for the upper levels of every index.
            try db.execute(sql: "PRAGMA mmap_size = 4294967296")
            try db.execute(sql: "PRAGMA cache_size = -65536")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // Deleted content is overwritten with zeros, so that an erased customer's identifiers
            // do not linger in free pages of the file.
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        do {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            pool = try DatabasePool(path: path, configuration: configuration)
            let migrator = SQLiteSchema.migrator
            if try pool.read({ db in try migrator.hasBeenSuperseded(db) }) {
                throw SQLiteStoreError.schemaTooNew
            }
            try migrator.migrate(pool)
            // A bulk load that did not finish (the process died) leaves these missing; so does one
            // still running in another process. Checked first in a read, so that opening takes no
            // write lock when nothing is missing. Best effort: nothing depends on them but speed,
            // so a build that cannot run now (a running import holds the write lock past the busy
            // timeout) must not keep a server from starting; the next open or the end of the
            // load builds them.
            if try pool.read({ db in try SQLiteSchema.bulkLoadIndexesMissing(db) }) {
                try? pool.write { db in try SQLiteSchema.createBulkLoadIndexes(db) }
            }
            // The one writer connection gets a large page cache: a bulk transaction touches pages
            // all over the identifier and customer indexes, and a cache that holds them all keeps
            // SQLite from spilling them to the WAL before the commit. Memory is used only as needed.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA cache_size = \(Self.writerCacheSize)")
                // Fold a WAL left by an earlier process (a bulk import leaves hundreds of MB) into
                // the database: every read searches the WAL's index for each page it touches.
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
            lookups = SQLiteLookupConnections(path: path)
        } catch let error as SQLiteStoreError {
            throw error
        } catch {
            throw SQLiteStoreError.cannotOpen(String(describing: error))
        }
    }

    /// Copies the WAL into the database file and empties it, so that content deleted by the last
    /// transactions (an erasure) is gone from both files. Best effort: with long readers it may not
    /// finish, and SQLite's automatic checkpoints complete it later.
    func checkpointWAL() async {
        _ = try? await pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    /// Drops ``SQLiteSchema/bulkLoadIndexes`` when the graph has no customer (and so they index
    /// nothing yet); returns whether it did.
    func dropBulkLoadIndexesIfEmpty() async throws -> Bool {
        try await write { db in
            guard try !Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM customers)")! else { return false }
            for index in SQLiteSchema.bulkLoadIndexes {
                try db.execute(sql: "DROP INDEX IF EXISTS \(index.name)")
            }
            return true
        }
    }

    /// Builds whichever of ``SQLiteSchema/bulkLoadIndexes`` are missing, each in its own
    /// transaction.
    func createBulkLoadIndexes() async throws {
        do {
            try await pool.writeWithoutTransaction { db in
                // Building an index is one large sort, and SQLite's sorter runs much faster with a
                // small page cache and temporary files than with the writer's large cache and
                // in-memory temporary storage (a million customers: about 6 s against 15 s).
                try db.execute(sql: "PRAGMA cache_size = -2000; PRAGMA temp_store = DEFAULT; PRAGMA threads = 2")
                defer {
                    try? db.execute(sql: "PRAGMA cache_size = \(Self.writerCacheSize); PRAGMA temp_store = MEMORY; PRAGMA threads = 0")
                }
                try SQLiteSchema.createBulkLoadIndexes(db)
            }
        } catch {
            throw IdentityGraphError.storage(String(describing: error))
        }
    }

    /// The writer connection's page cache, in SQLite's negative-KiB form: 512 MiB.
    private static let writerCacheSize = -524288

    /// Runs `body` in a write transaction. Errors that are not the graph's own become
    /// `IdentityGraphError.storage`, whose detail is for the operator's log only.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch let error as IdentityGraphError {
            throw error
        } catch {
            throw IdentityGraphError.storage(String(describing: error))
        }
    }

    /// Runs `body` in a read-only snapshot (a WAL reader that never waits for the writer).
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch let error as IdentityGraphError {
            throw error
        } catch {
            throw IdentityGraphError.storage(String(describing: error))
        }
    }
}
