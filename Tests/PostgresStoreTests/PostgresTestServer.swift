import Foundation
import Logging
import PostgresStore

/// The server of the tests that need one: `SOLMU_TEST_POSTGRES_URL` (`Tests/postgres-cluster.sh
/// start` prints it). Without it those tests are skipped, not failed: PostgreSQL is optional on a
/// developer's machine, and `Tests/run.sh` starts a cluster whenever PostgreSQL is installed.
enum PostgresTestServer {
    static let url = ProcessInfo.processInfo.environment["SOLMU_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static var isAvailable: Bool { url != nil }

    static let logger: Logger = {
        var logger = Logger(label: "solmu.postgres.test")
        logger.logLevel = .error
        return logger
    }()

    private static let admin: Result<PostgresDatabase, any Error> = Result {
        guard let url else { throw PostgresStoreError(.invalidURL, reason: "SOLMU_TEST_POSTGRES_URL is not set") }
        var configuration = try PostgresConfiguration(url: url)
        try configuration.setPool(maximum: 4)
        let database = try PostgresDatabase(configuration: configuration, logger: logger)
        database.startInBackground()
        return database
    }

    /// The configuration of a new, empty database (not migrated).
    static func freshConfiguration() async throws -> PostgresConfiguration {
        let admin = try admin.get()
        let name = "solmu_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await admin.createDatabase(named: name)
        var configuration = admin.configuration.with(database: name)
        try configuration.setPool(minimum: 0, maximum: 4)
        return configuration
    }

    /// A running pool on `configuration`; shut it down when done.
    static func open(_ configuration: PostgresConfiguration) throws -> PostgresDatabase {
        let database = try PostgresDatabase(configuration: configuration, logger: logger)
        database.startInBackground()
        return database
    }
}
