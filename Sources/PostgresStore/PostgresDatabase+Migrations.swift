import Foundation
import PostgresNIO

/// Migrations: table `solmu_schema_migrations` records the ones applied; ``migrate()`` applies the
/// missing ones in order, each in its own transaction, under an advisory lock so that instances
/// starting at the same time do not race.
extension PostgresDatabase {
    /// The advisory lock key of migrations ("solmu" in ASCII).
    static let migrationLockKey: Int64 = 0x73_6f_6c_6d_75

    /// The identifiers of every migration this build knows, oldest first.
    public static var knownMigrations: [String] { PostgresSchema.migrations.map(\.identifier) }

    /// The database's migrations against this build's.
    /// - Throws: `IdentityGraphError.storage` when the database cannot be read.
    public func schemaState() async throws -> PostgresSchemaState {
        let applied = try await read { connection in try await self.appliedMigrations(connection) }
        return Self.state(applied: applied)
    }

    /// Succeeds when the database has exactly the migrations this build knows.
    /// - Throws: ``PostgresStoreError`` `schemaTooNew` naming a migration this build does not know
    ///   (a newer Solmu migrated the database), `migrationsPending` naming the missing ones.
    public func checkSchema() async throws {
        let state = try await schemaState()
        if let unknown = state.unknown.first {
            throw Self.tooNew(unknown)
        }
        if !state.pending.isEmpty {
            throw PostgresStoreError(
                .migrationsPending,
                reason: "the database lacks migrations \(state.pending.joined(separator: ", ")); run `solmu migrate`"
            )
        }
    }

    /// Applies the migrations the database lacks, oldest first, each in one transaction.
    /// - Returns: The identifiers of the migrations this call applied (another instance may have
    ///   applied some meanwhile).
    /// - Throws: ``PostgresStoreError`` `schemaTooNew` (nothing is applied then),
    ///   `migrationFailed` naming the migration that failed (it was rolled back).
    @discardableResult
    public func migrate() async throws -> [String] {
        try await transaction { connection in
            try await self.lockMigrations(connection)
            try await connection.execute("""
                CREATE TABLE IF NOT EXISTS solmu_schema_migrations (
                    identifier text PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, logger: self.logger)
        }
        let unknown = Self.state(applied: try await read { connection in try await self.appliedMigrations(connection) }).unknown
        if let first = unknown.first {
            throw Self.tooNew(first)
        }
        var appliedNow: [String] = []
        for migration in PostgresSchema.migrations {
            let applied = try await transaction { connection -> Bool in
                try await self.lockMigrations(connection)
                let done = try await connection.rows(
                    "SELECT 1 FROM solmu_schema_migrations WHERE identifier = \(migration.identifier)", logger: self.logger
                )
                guard done.isEmpty else { return false }
                for statement in migration.statements {
                    do {
                        try await connection.execute(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                    } catch {
                        let detail = Self.sqlState(of: error).map { "PostgreSQL error \($0)" } ?? "\(type(of: error))"
                        throw PostgresStoreError(.migrationFailed, reason: "migration \(migration.identifier) failed: \(detail)")
                    }
                }
                try await connection.execute(
                    "INSERT INTO solmu_schema_migrations (identifier) VALUES (\(migration.identifier))", logger: self.logger
                )
                return true
            }
            if applied { appliedNow.append(migration.identifier) }
        }
        return appliedNow
    }

    private func lockMigrations(_ connection: PostgresConnection) async throws {
        try await connection.execute("SELECT pg_advisory_xact_lock(\(Self.migrationLockKey))", logger: logger)
    }

    private func appliedMigrations(_ connection: PostgresConnection) async throws -> [String] {
        let exists = try await connection.rows("""
            SELECT 1 FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_name = 'solmu_schema_migrations'
            """, logger: logger)
        guard !exists.isEmpty else { return [] }
        return try await connection.rows(
            "SELECT identifier FROM solmu_schema_migrations ORDER BY applied_at, identifier", logger: logger
        ).map { try $0.value("identifier", as: String.self) }
    }

    static func state(applied: [String]) -> PostgresSchemaState {
        let known = knownMigrations
        let appliedSet = Set(applied)
        return PostgresSchemaState(
            applied: applied,
            pending: known.filter { !appliedSet.contains($0) },
            unknown: applied.filter { !known.contains($0) }
        )
    }

    private static func tooNew(_ migration: String) -> PostgresStoreError {
        // Migration identifiers are ours (dates and words), safe to name.
        let name = migration.count <= 100 ? migration : String(migration.prefix(100)) + "…"
        return PostgresStoreError(
            .schemaTooNew,
            reason: "the database has migration \(name), which this build of Solmu does not know; upgrade Solmu"
        )
    }
}
