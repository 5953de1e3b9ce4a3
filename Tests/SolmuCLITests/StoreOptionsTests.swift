import ArgumentParser
import Foundation
import PostgresStore
@testable import SolmuCLI
import Testing

/// `--database` and the PostgreSQL flags, read without connecting.
struct StoreOptionsTests {
    @Test func readsAPostgresURLWithThePoolAndCAFlags() throws {
        let options = try StoreOptions.parse([
            "--database", "postgres://solmu:hunter2secret@db.internal:5433/identity?sslmode=require",
            "--database-pool-size", "7", "--database-tls-ca", "/etc/solmu/db-ca.pem",
        ])
        guard case let .postgres(configuration) = try options.databaseLocation() else {
            Issue.record("not PostgreSQL")
            return
        }
        #expect(configuration.host == "db.internal" && configuration.port == 5433 && configuration.database == "identity")
        #expect(configuration.maximumConnections == 7)
        #expect(configuration.rootCertificatePath == "/etc/solmu/db-ca.pem")
        #expect(configuration.tlsMode == .verifyFull)
        #expect(options.redactedDatabaseURL == "postgres://solmu:***@db.internal:5433/identity?sslmode=verify-full")
    }

    @Test func sqliteStaysTheDefault() throws {
        let options = try StoreOptions.parse(["--database", "sqlite:/tmp/x.sqlite"])
        guard case let .sqlite(path) = try options.databaseLocation() else {
            Issue.record("not SQLite")
            return
        }
        #expect(path == "/tmp/x.sqlite")
    }

    @Test(arguments: [
        ["--database", "postgres://solmu:hunter2secret@db/identity?sslmode=sometimes"],
        ["--database", "postgres://solmu:hunter2secret@db:notaport/identity"],
        ["--database", "postgres://solmu:hunter2secret@db/identity", "--database-pool-size", "0"],
        ["--database", "postgres://solmu:hunter2secret@db/identity?sslmode=disable", "--database-tls-ca", "/ca.pem"],
        ["--database", "mysql://solmu:hunter2secret@db/identity"],
    ])
    func refusesBadSettingsWithoutEchoingThePassword(arguments: [String]) throws {
        let options = try StoreOptions.parse(arguments)
        do {
            _ = try options.databaseLocation()
            Issue.record("accepted \(arguments)")
        } catch let error as CLIError {
            #expect(!error.description.contains("hunter2"))
        }
    }
}
