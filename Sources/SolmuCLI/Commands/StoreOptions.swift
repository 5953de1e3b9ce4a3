import ArgumentParser
import Foundation
import IdentityGraph
import Policies
import SQLiteStore
import Tokens
import CustomerLogin
import Identifiers
import Channels
import Logging
import PostgresStore

/// Where Solmu keeps its data, keys and policies; shared by every command that opens them.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The database: sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=verify-full. [env: SOLMU_DATABASE_URL or SOLMU_DATABASE] (default: sqlite:data/solmu.sqlite)",
        valueName: "url"
    ))
    var database: String?

    @Option(help: ArgumentHelp("PostgreSQL: the most connections this instance opens. [env: SOLMU_DATABASE_POOL_SIZE] (default: 20, or pool_max in the URL)", valueName: "count"))
    var databasePoolSize: Int?

    @Option(help: ArgumentHelp("PostgreSQL: a PEM file of the CA certificates to trust; the server's certificate and host name are then verified. [env: SOLMU_DATABASE_TLS_CA]", valueName: "file"))
    var databaseTlsCa: String?

    @Option(help: ArgumentHelp("The directory of signing keys; generated on first start. [env: SOLMU_KEYS] (default: keys)", valueName: "dir"))
    var keys: String?

    @Option(help: ArgumentHelp("The directory of policy files. [env: SOLMU_POLICIES] (default: policies)", valueName: "dir"))
    var policies: String?

    var databaseURL: String {
        EnvironmentVariables.value(database ?? ProcessInfo.processInfo.environment["SOLMU_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 },
                                   "SOLMU_DATABASE", default: "sqlite:data/solmu.sqlite")
    }

    /// The database URL for logs and messages: a PostgreSQL password is replaced by `***`.
    var redactedDatabaseURL: String {
        guard case let .postgres(configuration)? = try? databaseLocation() else {
            return databaseURL.hasPrefix("sqlite:") ? databaseURL : "(a database URL)"
        }
        return configuration.redactedURL
    }
    var keysDirectory: String { EnvironmentVariables.value(keys, "SOLMU_KEYS", default: "keys") }
    var policiesDirectory: String { EnvironmentVariables.value(policies, "SOLMU_POLICIES", default: "policies") }

    func loadPolicies() throws -> PolicySet {
        do {
            return try PolicySet.load(directory: policiesDirectory)
        } catch {
            throw CLIError("policy error: \(error)")
        }
    }

    func loadKeys() throws -> SigningKeySet {
        do {
            return try SigningKeySet.loadOrCreate(directory: keysDirectory)
        } catch {
            throw CLIError("key error: \(error)")
        }
    }

    /// Where the database is, with the PostgreSQL flags applied.
    func databaseLocation() throws -> DatabaseLocation {
        let url = databaseURL
        if url.hasPrefix("sqlite:") {
            let path = String(url.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw CLIError("--database sqlite: needs a file path") }
            return .sqlite(path: path)
        }
        guard url.lowercased().hasPrefix("postgres://") || url.lowercased().hasPrefix("postgresql://") else {
            // Only the scheme is repeated: the rest may hold a password.
            let scheme = url.split(separator: ":", maxSplits: 1).first.map { String($0.prefix(20)) } ?? ""
            throw CLIError("unsupported --database scheme '\(scheme)': use sqlite:PATH or postgres://…")
        }
        do {
            var configuration = try PostgresConfiguration(url: url)
            let poolSize = try databasePoolSize ?? EnvironmentVariables.number("SOLMU_DATABASE_POOL_SIZE")
            if let poolSize {
                try configuration.setPool(maximum: poolSize)
            }
            if let ca = databaseTlsCa ?? ProcessInfo.processInfo.environment["SOLMU_DATABASE_TLS_CA"].flatMap({ $0.isEmpty ? nil : $0 }) {
                guard configuration.tlsMode != .disable else {
                    throw CLIError("--database-tls-ca needs TLS, but the database URL says sslmode=disable")
                }
                configuration.rootCertificatePath = ca
                if configuration.tlsMode != .verifyCA { configuration.tlsMode = .verifyFull }
            }
            return .postgres(configuration)
        } catch let error as PostgresStoreError {
            throw CLIError("--database: \(error.reason)")
        }
    }

    /// The identity store and the login store, in one database, migrated to this build's schema.
    ///
    /// A PostgreSQL database is migrated through a short-lived pool; the stores' own pool works
    /// once its ``OpenedStores/postgres`` service runs (serve's service group) or is started in
    /// the background (other commands).
    /// - Throws: `CLIError` when the database cannot be opened or its schema is newer than this
    ///   build knows.
    /// - Parameter logger: For the PostgreSQL pool's background messages (failed connections).
    func openStores(policies: PolicySet, keys: SigningKeySet, logger: Logger = Logger(label: "solmu.postgres")) async throws -> OpenedStores {
        switch try databaseLocation() {
        case let .sqlite(path):
            do {
                let database = try SQLiteDatabase(path: path)
                return OpenedStores(
                    identities: SQLiteIdentityStore(database: database, rules: policies.rules, keys: LinkLogKeys(master: keys.linkLogKey)),
                    login: SQLiteLoginStore(database: database),
                    postgres: nil
                )
            } catch {
                throw CLIError("\(error)")
            }
        case let .postgres(configuration):
            try await Self.migrate(configuration)
            do {
                let database = try PostgresDatabase(configuration: configuration, logger: logger)
                return OpenedStores(
                    identities: PostgresIdentityStore(database: database, rules: policies.rules, keys: LinkLogKeys(master: keys.linkLogKey)),
                    login: PostgresLoginStore(database: database),
                    postgres: database
                )
            } catch {
                throw CLIError("--database: \(error.reason)")
            }
        }
    }

    /// Applies pending migrations through a pool of its own; refuses a newer schema.
    /// - Returns: the migrations applied.
    @discardableResult
    static func migrate(_ configuration: PostgresConfiguration) async throws -> [String] {
        let database = try await openBriefly(configuration)
        do {
            let applied = try await database.migrate()
            await database.shutdown()
            return applied
        } catch let error as PostgresStoreError {
            await database.shutdown()
            throw CLIError("database \(configuration.redactedURL): \(error.reason)")
        } catch {
            await database.shutdown()
            // IdentityGraphError.storage names a SQLSTATE or the driver's error code, never a value.
            throw CLIError("database \(configuration.redactedURL): \(error)")
        }
    }
}

extension StoreOptions {
    /// A one-connection pool for a command's short task, running, after checking that the server
    /// answers (the pool itself would keep retrying). Shut it down when done.
    static func openBriefly(_ configuration: PostgresConfiguration) async throws -> PostgresDatabase {
        var small = configuration
        try? small.setPool(minimum: 0, maximum: 1)
        // The command reports failures itself; the pool's background messages would repeat them.
        var logger = Logger(label: "solmu.postgres")
        logger.logLevel = .error
        let database: PostgresDatabase
        do {
            database = try PostgresDatabase(configuration: small, logger: logger)
            try await database.checkConnection()
        } catch let error as PostgresStoreError {
            throw CLIError(error.reason)
        }
        database.startInBackground()
        return database
    }
}

/// Which kind of database `--database` names.
enum DatabaseLocation {
    case sqlite(path: String)
    case postgres(PostgresConfiguration)
}

/// The stores of one database, and for PostgreSQL the connection pool they share.
struct OpenedStores {
    var identities: any IdentityStore
    var login: any LoginStore
    /// Must run while the stores are used: in serve's service group, or
    /// ``PostgresDatabase/startInBackground()`` then ``PostgresDatabase/shutdown()``.
    var postgres: PostgresDatabase?
}

/// Reads an option's environment variable when the flag is absent.
enum EnvironmentVariables {
    static func value(_ flag: String?, _ variable: String, default fallback: String) -> String {
        if let flag { return flag }
        if let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty { return value }
        return fallback
    }

    /// A whole-number environment variable; `nil` when unset.
    static func number(_ variable: String) throws -> Int? {
        guard let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty else { return nil }
        guard let number = Int(value) else { throw CLIError("\(variable) must be a number") }
        return number
    }
}

/// A message for the operator, printed without a stack trace; exit code 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
