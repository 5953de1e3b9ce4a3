import Foundation
import GRDBSQLite
import Identifiers
import IdentityGraph
import Synchronization
import VerifiableLog

/// Read-only SQLite connections with the resolve statement prepared once, used directly through
/// the C API for the hottest read of the service.
///
/// GRDB's pool costs more than the lookup itself on this path (a semaphore, a dispatch queue and
/// a `PRAGMA schema_version` per read), so resolve bypasses it; so do the log's proofs, a few
/// dozen node reads each. The connections are checked out
/// for one statement, never across a suspension, and the schema is fixed once migrations ran at
/// start-up.
final class SQLiteLookupConnections: @unchecked Sendable {
    /// One connection and its prepared statement; used by one thread at a time.
    private final class Connection: @unchecked Sendable {
        let handle: OpaquePointer
        let resolve: OpaquePointer
        let treeTile: OpaquePointer
        let logSize: OpaquePointer
        let begin: OpaquePointer
        let commit: OpaquePointer

        init(path: String) throws {
            var handle: OpaquePointer?
            let flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
            guard sqlite3_open_v2(path, &handle, flags, nil) == SQLITE_OK, let handle else {
                if let handle { sqlite3_close_v2(handle) }
                throw IdentityGraphError.storage("cannot open a lookup connection")
            }
            sqlite3_busy_timeout(handle, 10_000)
            sqlite3_exec(handle, "PRAGMA mmap_size = 4294967296; PRAGMA cache_size = -65536;", nil, nil, nil)
            var statements: [OpaquePointer] = []
            for sql in [
                """
                SELECT l.kind, l.namespace, l.value, l.customer_id, l.channel, l.assurance, l.linked_at
                FROM links AS owner JOIN links AS l ON l.customer_id = owner.customer_id
                WHERE owner.kind = ?1 AND owner.namespace = ?2 AND owner.value = ?3
                """,
                "SELECT hashes FROM log_tree_tiles WHERE level = ?1 AND idx = ?2",
                "SELECT COALESCE(MAX(sequence), 0) FROM link_log",
                "BEGIN",
                "COMMIT",
            ] {
                var statement: OpaquePointer?
                guard sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK, let statement else {
                    statements.forEach { sqlite3_finalize($0) }
                    sqlite3_close_v2(handle)
                    throw IdentityGraphError.storage("cannot prepare a lookup statement")
                }
                statements.append(statement)
            }
            self.handle = handle
            self.resolve = statements[0]
            self.treeTile = statements[1]
            self.logSize = statements[2]
            self.begin = statements[3]
            self.commit = statements[4]
        }

        deinit {
            for statement in [resolve, treeTile, logSize, begin, commit] { sqlite3_finalize(statement) }
            sqlite3_close_v2(handle)
        }
    }

    private let path: String
    private let idle = Mutex<[Connection]>([])

    init(path: String) {
        self.path = path
    }

    /// The customer `identifier` belongs to, with all their links.
    func resolve(_ identifier: Identifier) throws -> ResolvedCustomer? {
        let connection = try checkOut()
        defer { checkIn(connection) }
        var links: [Link] = []
        var customer: CustomerID?
        try withDirectBindings(connection.resolve, {
            $0.bind(identifier.kind.rawValue)
            $0.bind(identifier.namespace ?? "")
            $0.bind(identifier.value)
        }) {
            while true {
                let result = sqlite3_step(connection.resolve)
                if result == SQLITE_DONE { break }
                guard result == SQLITE_ROW else { throw IdentityGraphError.storage("lookup failed with SQLite code \(result)") }
                let link = try DirectRow(statement: connection.resolve).link()
                customer = customer ?? link.customerID
                links.append(link)
            }
        }
        return customer.map { ResolvedCustomer(customerID: $0, links: links) }
    }

    /// Runs `body` on the link log's Merkle tree as stored now (a tile only grows and a hash in it
    /// never changes, so a tree of the size read first stays valid while later entries are appended).
    func withLogTree<T>(_ body: (MerkleTree<TileReader<StatementTiles>>) throws -> T) throws -> T {
        let connection = try checkOut()
        defer { checkIn(connection) }
        // One read transaction for the few reads: one shared lock instead of one per read.
        guard sqlite3_step(connection.begin) == SQLITE_DONE else {
            sqlite3_reset(connection.begin)
            throw IdentityGraphError.storage("cannot begin a read of the log tree")
        }
        sqlite3_reset(connection.begin)
        defer {
            if sqlite3_step(connection.commit) != SQLITE_DONE { sqlite3_exec(connection.handle, "ROLLBACK", nil, nil, nil) }
            sqlite3_reset(connection.commit)
        }
        let size = try Self.int64(connection.logSize)
        return try body(MerkleTree(store: TileReader(StatementTiles(statement: connection.treeTile)), size: UInt64(size)))
    }

    /// Log tree tiles read through the prepared statement of one checked-out connection.
    struct StatementTiles: TileSource {
        let statement: OpaquePointer

        func tile(level: Int, index: UInt64) throws -> [UInt8]? {
            try withDirectBindings(statement, {
                $0.bind(Int64(level))
                $0.bind(Int64(index))
            }) {
                switch sqlite3_step(statement) {
                case SQLITE_DONE:
                    return nil
                case SQLITE_ROW:
                    let count = Int(sqlite3_column_bytes(statement, 0))
                    guard count > 0, count % TreeHash.byteCount == 0, let blob = sqlite3_column_blob(statement, 0) else {
                        throw IdentityGraphError.storage("malformed tile in log_tree_tiles")
                    }
                    return Array(UnsafeRawBufferPointer(start: blob, count: count))
                case let code:
                    throw IdentityGraphError.storage("reading the log tree failed with SQLite code \(code)")
                }
            }
        }
    }

    private static func int64(_ statement: OpaquePointer) throws -> Int64 {
        defer { sqlite3_reset(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW else { throw IdentityGraphError.storage("reading the log size failed") }
        return sqlite3_column_int64(statement, 0)
    }

    private func checkOut() throws -> Connection {
        if let connection = idle.withLock({ $0.popLast() }) { return connection }
        return try Connection(path: path)
    }

    private func checkIn(_ connection: Connection) {
        idle.withLock { connections in
            // Keep a few; more than the threads that can run lookups at once is waste.
            if connections.count < 16 { connections.append(connection) }
        }
    }
}
