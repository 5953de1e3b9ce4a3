import ArgumentParser
import Foundation
import PostgresStore
import SQLiteStore

/// `solmu migrate`: brings the database's schema up to this build's, or reports it.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply the database migrations this build of Solmu needs.",
        discussion: """
            serve and import migrate on start too; run this first to migrate a PostgreSQL database \
            shared by several instances in a deployment step of its own. Instances migrating at \
            the same moment are safe: an advisory lock lets one apply each migration. \
            A database migrated by a newer Solmu is refused, and nothing is changed. \
            With --check nothing is applied: the exit code is 0 when the schema is current, 1 otherwise.
            """
    )

    @Flag(help: "Report pending migrations without applying them.")
    var check = false

    @OptionGroup var storage: StoreOptions

    func run() async throws {
        switch try storage.databaseLocation() {
        case let .sqlite(path):
            guard !check else {
                throw CLIError("--check supports PostgreSQL; a SQLite database is migrated whenever it is opened")
            }
            do {
                _ = try SQLiteDatabase(path: path)
            } catch {
                throw CLIError("\(error)")
            }
            print("the SQLite database \(path) is migrated")
        case let .postgres(configuration):
            if check {
                try await report(configuration)
            } else {
                let applied = try await StoreOptions.migrate(configuration)
                print(applied.isEmpty
                    ? "the database is current: nothing to apply"
                    : "applied \(applied.count) migration\(applied.count == 1 ? "" : "s"): \(applied.joined(separator: ", "))")
            }
        }
    }

    private func report(_ configuration: PostgresConfiguration) async throws {
        let database = try await StoreOptions.openBriefly(configuration)
        let state: PostgresSchemaState
        do {
            state = try await database.schemaState()
        } catch {
            await database.shutdown()
            throw CLIError("database \(configuration.redactedURL): \(error)")
        }
        await database.shutdown()
        if !state.unknown.isEmpty {
            throw CLIError("the database has migrations this build does not know (\(state.unknown.joined(separator: ", "))): upgrade Solmu")
        }
        if !state.pending.isEmpty {
            throw CLIError("pending migrations: \(state.pending.joined(separator: ", "))")
        }
        print("the database is current (\(state.applied.count) migrations)")
    }
}
