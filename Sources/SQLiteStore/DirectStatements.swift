import Foundation
import GRDB
import GRDBSQLite
import Identifiers
import IdentityGraph

/// Running GRDB's cached statements directly through SQLite's C API, for the writes every graph
/// change makes many times: customers, links, link-log entries, their details and tree nodes, and
/// the owner check before a link.
///
/// On these statements GRDB's generic path (arguments boxed as `DatabaseValue`s, validated, bound
/// through temporary copies, and the per-statement observation and cancellation checks) cost more
/// than SQLite's insert itself: a bulk import spent about as much of the writer's time there as in
/// SQLite's B-trees. The statements still come from GRDB's per-connection cache, so their
/// lifetime is GRDB's; a statement is reset before each run, and reset with its bindings cleared
/// after it, so GRDB's own next `execute(arguments:)` finds it as it left it. Used only inside a
/// write access, on the writer's queue, and never for statements that change the schema or the
/// transaction state.
extension Statement {
    /// Runs the statement once with the values `bind` sets, expecting no rows.
    func executeDirect(_ bind: (inout DirectBindings) -> Void) throws {
        try withBindings(bind) { handle in
            let code = sqlite3_step(handle)
            guard code == SQLITE_DONE else { throw failure(code) }
        }
    }

    /// Runs the query with the values `bind` sets and reads its first row, if any, with `read`.
    func fetchFirstDirect<T>(_ bind: (inout DirectBindings) -> Void, read: (DirectRow) throws -> T) throws -> T? {
        try withBindings(bind) { handle in
            switch sqlite3_step(handle) {
            case SQLITE_DONE: return nil
            case SQLITE_ROW: return try read(DirectRow(statement: handle))
            case let code: throw failure(code)
            }
        }
    }

    private func withBindings<T>(_ bind: (inout DirectBindings) -> Void, _ body: (OpaquePointer) throws -> T) throws -> T {
        let handle = sqliteStatement
        return try withDirectBindings(handle, bind) { try body(handle) }
    }

    private func failure(_ code: Int32) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(sqliteStatement))), sql: sql)
    }
}

/// Binds values to the parameters of a statement in order (`?1`, `?2`, …).
///
/// Text and blobs are copied into an arena that the caller keeps alive until the statement has
/// run and its bindings are cleared, and bound from there without SQLite copying them again
/// (`SQLITE_STATIC`). With SQLite's own copy (`SQLITE_TRANSIENT`) every value cost a `malloc`, a
/// `memcpy` and a `free` on the writer: a twentieth of a bulk import's writer time. A value that
/// no longer fits in the arena is bound with SQLite's copy.
struct DirectBindings {
    /// Enough for every row the graph writes but the largest profiles and tree tiles.
    static let arenaSize = 4096

    private let statement: OpaquePointer
    private var index: Int32 = 0
    private let arena: UnsafeMutableRawPointer
    private var remaining = arenaSize

    /// - Parameter arena: ``arenaSize`` bytes, alive until the statement's bindings are cleared.
    fileprivate init(statement: OpaquePointer, arena: UnsafeMutableRawBufferPointer) {
        precondition(arena.count == Self.arenaSize, "an arena of arenaSize bytes")
        self.statement = statement
        self.arena = arena.baseAddress!
    }

    /// Text with its exact UTF-8 length, so that a NUL inside it is stored, not a cut-off.
    mutating func bind(_ value: String?) {
        index += 1
        guard var value else {
            sqlite3_bind_null(statement, index)
            return
        }
        value.withUTF8 { bytes in bindBytes(UnsafeRawBufferPointer(bytes), asText: true) }
    }

    mutating func bind(_ value: Int64?) {
        index += 1
        if let value {
            sqlite3_bind_int64(statement, index, value)
        } else {
            sqlite3_bind_null(statement, index)
        }
    }

    mutating func bind(_ value: some ContiguousBytes) {
        index += 1
        value.withUnsafeBytes { bytes in bindBytes(bytes, asText: false) }
    }

    /// Binds `bytes` at the current index: from a copy in the arena when it fits, else with
    /// SQLite's copy. An empty value always fits, and binds as empty text or a zero-length blob.
    private mutating func bindBytes(_ bytes: UnsafeRawBufferPointer, asText: Bool) {
        let count = bytes.count
        let source: UnsafeRawPointer
        let destructor: sqlite3_destructor_type?
        if count <= remaining {
            let copy = arena + (Self.arenaSize - remaining)
            if let from = bytes.baseAddress { copy.copyMemory(from: from, byteCount: count) }
            remaining -= count
            source = UnsafeRawPointer(copy)
            destructor = nil // SQLITE_STATIC
        } else {
            // Larger than what is left, so not empty: the bytes have an address.
            source = bytes.baseAddress!
            destructor = Self.transient
        }
        if asText {
            sqlite3_bind_text(statement, index, source.assumingMemoryBound(to: CChar.self), Int32(count), destructor)
        } else {
            sqlite3_bind_blob(statement, index, source, Int32(count), destructor)
        }
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

/// Binds the values `bind` sets to `statement`, runs `body`, then resets the statement and clears
/// its bindings, also when `body` throws. Values are bound from an arena on the stack that lives
/// exactly as long as the run (see ``DirectBindings``). For GRDB's cached statements (above) and
/// for the lookup connections' own prepared statements alike.
func withDirectBindings<T>(_ statement: OpaquePointer, _ bind: (inout DirectBindings) -> Void, _ body: () throws -> T) throws -> T {
    sqlite3_reset(statement)
    return try withUnsafeTemporaryAllocation(byteCount: DirectBindings.arenaSize, alignment: 16) { arena in
        defer {
            // Nothing bound may point into the arena once it is gone.
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        var bindings = DirectBindings(statement: statement, arena: arena)
        bind(&bindings)
        return try body()
    }
}

/// The current row of a statement stepped through the C API; columns by position.
struct DirectRow {
    let statement: OpaquePointer

    /// The column as text, all of its bytes (a NUL inside included); NULL reads as "".
    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(statement, column) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement, column))), as: UTF8.self)
    }

    func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(statement, column)
    }

    /// A row of `SQLiteIdentityStore.linkColumns`, in that order.
    func link() throws -> Link {
        guard let kind = IdentifierKind(rawValue: text(0)) else { throw IdentityGraphError.storage("unknown identifier kind in links") }
        guard let owner = CustomerID(rawValue: text(3)) else { throw IdentityGraphError.storage("malformed customer id in links") }
        guard let assurance = Assurance(rawValue: text(5)) else { throw IdentityGraphError.storage("unknown assurance in links") }
        let namespace = text(1)
        return Link(
            identifier: Identifier(trustedKind: kind, namespace: namespace.isEmpty ? nil : namespace, value: text(2)),
            customerID: owner,
            provenance: Provenance(channel: text(4), assurance: assurance, linkedAt: SQLiteIdentityStore.date(int64(6)))
        )
    }
}
