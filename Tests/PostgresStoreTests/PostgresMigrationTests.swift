import Foundation
import PostgresNIO
@testable import PostgresStore
import Testing

/// Migrations on a real server. Skipped without `SOLMU_TEST_POSTGRES_URL`.
@Suite("PostgreSQL migrations", .enabled(if: PostgresTestServer.isAvailable, "needs SOLMU_TEST_POSTGRES_URL"))
struct PostgresMigrationTests {
    @Test func anEmptyDatabaseIsPendingUntilMigratedOnce() async throws {
        let database = try PostgresTestServer.open(try await PostgresTestServer.freshConfiguration())
        defer { Task { await database.shutdown() } }

        let empty = try await database.schemaState()
        #expect(empty.applied.isEmpty && empty.unknown.isEmpty)
        #expect(empty.pending == PostgresDatabase.knownMigrations)
        await #expect(throws: PostgresStoreError.migrationsPending) { try await database.checkSchema() }

        #expect(try await database.migrate() == PostgresDatabase.knownMigrations)
        #expect(try await database.migrate() == [])
        let current = try await database.schemaState()
        #expect(current.isCurrent)
        #expect(current.applied == PostgresDatabase.knownMigrations)
        try await database.checkSchema()
    }

    /// Instances starting together: the advisory lock lets one apply each migration.
    @Test func concurrentMigrationsApplyEachMigrationOnce() async throws {
        let configuration = try await PostgresTestServer.freshConfiguration()
        let databases = try (0..<4).map { _ in try PostgresTestServer.open(configuration) }
        let applied = try await withThrowingTaskGroup(of: [String].self) { group in
            for database in databases {
                group.addTask { try await database.migrate() }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(applied.sorted() == PostgresDatabase.knownMigrations.sorted())
        try await databases[0].checkSchema()
        for database in databases { await database.shutdown() }
    }

    /// A database migrated by a newer Solmu: this build refuses it and changes nothing.
    @Test func aNewerSchemaIsRefusedByName() async throws {
        let database = try PostgresTestServer.open(try await PostgresTestServer.freshConfiguration())
        defer { Task { await database.shutdown() } }
        try await database.migrate()
        try await database.transaction { connection in
            try await connection.execute(
                "INSERT INTO solmu_schema_migrations (identifier) VALUES ('2099-01-01-from-the-future')", logger: database.logger
            )
        }

        let state = try await database.schemaState()
        #expect(state.unknown == ["2099-01-01-from-the-future"])
        #expect(state.pending.isEmpty && !state.isCurrent)
        do {
            try await database.checkSchema()
            Issue.record("a newer schema was accepted")
        } catch let error as PostgresStoreError {
            #expect(error.code == .schemaTooNew)
            #expect(error.reason.contains("2099-01-01-from-the-future"))
        }
        await #expect(throws: PostgresStoreError.schemaTooNew) { try await database.migrate() }
    }

    /// The link log, its tree and its checkpoints refuse changes even to the database owner.
    @Test func theLogTablesAreAppendOnly() async throws {
        let database = try PostgresTestServer.open(try await PostgresTestServer.freshConfiguration())
        defer { Task { await database.shutdown() } }
        try await database.migrate()
        try await database.transaction { connection in
            try await connection.execute("""
                INSERT INTO link_log (sequence, time, actor, action, customer_id) VALUES (1, 0, 'test', 'customer_created', 'c')
                """, logger: database.logger)
            try await connection.execute(
                "INSERT INTO log_checkpoints (size, root, note, created_at) VALUES (1, \(ByteBuffer(repeating: 0, count: 32)), 'n', 0)",
                logger: database.logger
            )
        }
        for statement: PostgresQuery in [
            "UPDATE link_log SET actor = 'someone else'",
            "DELETE FROM link_log",
            "TRUNCATE link_log",
            "UPDATE log_checkpoints SET note = 'another'",
            "DELETE FROM log_checkpoints",
        ] {
            await #expect(throws: (any Error).self) {
                try await database.transaction { connection in try await connection.execute(statement, logger: database.logger) }
            }
        }
    }
}
