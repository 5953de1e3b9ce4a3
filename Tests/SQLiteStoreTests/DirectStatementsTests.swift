import Foundation
import GRDB
import GRDBSQLite
@testable import SQLiteStore
import Testing

/// The writer's direct statements bind text and blobs from an arena without SQLite's copy; these
/// check that every value arrives whole, that values too large for the arena still do, and that
/// nothing stays bound to the arena once a run is over.
struct DirectStatementsTests {
    let queue: DatabaseQueue

    init() throws {
        queue = try DatabaseQueue()
        try queue.write { db in try db.execute(sql: "CREATE TABLE t (n INTEGER PRIMARY KEY, a TEXT, b BLOB, c INTEGER)") }
    }

    func insert(_ n: Int64, _ a: String?, _ b: [UInt8], _ c: Int64?) throws {
        try queue.write { db in
            try db.cachedStatement(sql: "INSERT INTO t (n, a, b, c) VALUES (?, ?, ?, ?)").executeDirect {
                $0.bind(n)
                $0.bind(a)
                $0.bind(b)
                $0.bind(c)
            }
        }
    }

    func row(_ n: Int64) throws -> (a: String?, b: [UInt8]?, c: Int64?, typeOfB: String) {
        try queue.read { db in
            // The text as a blob, so that a NUL inside it survives the read as well.
            let row = try #require(try Row.fetchOne(db, sql: "SELECT CAST(a AS BLOB), b, c, typeof(b) FROM t WHERE n = ?", arguments: [n]))
            let text = (row[0] as Data?).map { String(decoding: $0, as: UTF8.self) }
            return (text, (row[1] as Data?).map { Array($0) }, row[2], row[3])
        }
    }

    @Test func storesTextAndBlobsWhole() throws {
        let text = "Ä\u{0}ö 😀 cus_1"
        try insert(1, text, [0, 1, 2, 255], -7)
        let stored = try row(1)
        #expect(stored.a == text, "a NUL inside text is stored, not a cut-off")
        #expect(stored.b == [0, 1, 2, 255])
        #expect(stored.c == -7)
    }

    @Test func storesEmptyAndMissingValues() throws {
        try insert(1, "", [], nil)
        try insert(2, nil, [], 0)
        #expect(try row(1).a == "")
        #expect(try row(1).typeOfB == "blob", "an empty blob is a blob, not NULL")
        #expect(try row(1).c == nil)
        #expect(try row(2).a == nil)
    }

    @Test func valuesLargerThanTheArenaAreCopiedBySQLite() throws {
        let large = String(repeating: "x", count: DirectBindings.arenaSize - 10) + "é"
        let blob = (0..<(DirectBindings.arenaSize * 2)).map { UInt8(truncatingIfNeeded: $0) }
        // The first value fills most of the arena, so the blob after it no longer fits either.
        try insert(1, large, blob, 1)
        #expect(try row(1).a == large)
        #expect(try row(1).b == blob)
    }

    @Test func manyRunsOfOneStatementKeepTheirOwnValues() throws {
        for n in Int64(1)...200 { try insert(n, "value \(n)", [UInt8(n)], n * 3) }
        for n in Int64(1)...200 {
            let stored = try row(n)
            #expect(stored.a == "value \(n)" && stored.b == [UInt8(n)] && stored.c == n * 3)
        }
    }

    @Test func nothingStaysBoundAfterARun() throws {
        try insert(1, "kept only while running", [9, 9], 5)
        let expanded = try queue.write { db in
            let statement = try db.cachedStatement(sql: "INSERT INTO t (n, a, b, c) VALUES (?, ?, ?, ?)")
            return sqlite3_expanded_sql(statement.sqliteStatement).map { pointer in
                defer { sqlite3_free(pointer) }
                return String(cString: pointer)
            }
        }
        #expect(expanded == "INSERT INTO t (n, a, b, c) VALUES (NULL, NULL, NULL, NULL)")
    }

    @Test func aFailedRunClearsItsBindingsAndThrows() throws {
        try insert(1, "first", [1], 1)
        #expect(throws: DatabaseError.self) { try insert(1, "again", [2], 2) }
        #expect(try row(1).a == "first")
        // GRDB's own path still runs the cached statement as usual afterwards.
        try queue.write { db in
            try db.cachedStatement(sql: "INSERT INTO t (n, a, b, c) VALUES (?, ?, ?, ?)").execute(arguments: [2, "grdb", Data([3]), 4])
        }
        #expect(try row(2).a == "grdb")
    }

    @Test func fetchesTheFirstRowWithBoundText() throws {
        try insert(1, "needle", [1], 11)
        try insert(2, "other", [2], 22)
        let found = try queue.read { db in
            try db.cachedStatement(sql: "SELECT c FROM t WHERE a = ?").fetchFirstDirect({ $0.bind("needle") }, read: { $0.int64(0) })
        }
        #expect(found == 11)
        let missing = try queue.read { db in
            try db.cachedStatement(sql: "SELECT c FROM t WHERE a = ?").fetchFirstDirect({ $0.bind("absent") }, read: { $0.int64(0) })
        }
        #expect(missing == nil)
    }

    @Test func runsAStatementOfItsOwnConnection() throws {
        // The lookup connections prepare their statements themselves, outside GRDB's cache.
        let (result, afterwards) = try queue.read { db in
            var statement: OpaquePointer?
            guard sqlite3_prepare_v2(db.sqliteConnection, "SELECT ?1 || '/' || ?2", -1, &statement, nil) == SQLITE_OK, let statement else {
                throw DatabaseError(message: "cannot prepare")
            }
            defer { sqlite3_finalize(statement) }
            let result = try withDirectBindings(statement, {
                $0.bind("kind\u{0}x")
                $0.bind(Int64(42))
            }) {
                guard sqlite3_step(statement) == SQLITE_ROW else { throw DatabaseError(message: "no row") }
                return Array(UnsafeRawBufferPointer(start: sqlite3_column_blob(statement, 0), count: Int(sqlite3_column_bytes(statement, 0))))
            }
            let afterwards = sqlite3_expanded_sql(statement).map { pointer in
                defer { sqlite3_free(pointer) }
                return String(cString: pointer)
            }
            return (result, afterwards)
        }
        #expect(result == Array("kind\u{0}x/42".utf8), "all bytes of the text, the NUL included")
        #expect(afterwards == "SELECT NULL || '/' || NULL")
    }
}
