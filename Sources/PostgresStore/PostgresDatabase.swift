public import Logging
public import PostgresNIO
public import ServiceLifecycle
import Foundation
import IdentityGraph
import Identifiers
import Synchronization

/// One PostgreSQL database and the pool of connections to it. The identity store and the login
/// store share it, as they share the SQLite file.
///
/// The pool works only while ``run()`` runs: put the database in the server's `ServiceGroup`
/// (it is a `Service`), or call ``startInBackground()`` in commands and tests and
/// ``shutdown()`` when done.
public final class PostgresDatabase: Service, Sendable {
    /// Where the database is, without the password (see ``PostgresConfiguration/redactedURL``).
    public let configuration: PostgresConfiguration
    let client: PostgresClient
    let logger: Logger
    private let background = Mutex<Task<Void, Never>?>(nil)

    /// A pool for `configuration`; nothing connects before ``run()``.
    /// - Parameter logger: Receives the driver's messages (connection failures), at `info` or
    ///   above only: at `debug` and `trace` postgres-nio logs server notices and the rows it
    ///   receives, which hold personal data. Its metadata never includes the password.
    /// - Throws: ``PostgresStoreError`` with code `tlsConfiguration` when the root certificates
    ///   cannot be read.
    public init(configuration: PostgresConfiguration, logger: Logger = Logger(label: "solmu.postgres")) throws(PostgresStoreError) {
        var logger = logger
        logger.logLevel = max(logger.logLevel, .info)
        self.configuration = configuration
        self.logger = logger
        client = PostgresClient(configuration: try configuration.clientConfiguration(), backgroundLogger: logger)
    }

    /// A pool for the database at `url` (`postgres://user:password@host:port/database?...`).
    /// - Throws: ``PostgresStoreError`` (`invalidURL`, `invalidOption`, `tlsConfiguration`).
    public convenience init(url: String, logger: Logger = Logger(label: "solmu.postgres")) throws(PostgresStoreError) {
        try self.init(configuration: PostgresConfiguration(url: url), logger: logger)
    }

    /// Runs the connection pool until the task is cancelled or the service group shuts down.
    public func run() async throws {
        await client.run()
    }

    /// Runs the pool in a task of its own, for commands and tests that have no service group.
    /// Calling it again does nothing.
    public func startInBackground() {
        background.withLock { task in
            guard task == nil else { return }
            task = Task { await self.client.run() }
        }
    }

    /// Stops the pool started by ``startInBackground()`` and waits until its connections are closed.
    public func shutdown() async {
        let task = background.withLock { task in
            defer { task = nil }
            return task
        }
        task?.cancel()
        await task?.value
    }

    /// Succeeds when the server answers a trivial query.
    public func ping() async throws {
        try await withConnection { connection in
            _ = try await connection.rows("SELECT 1", logger: self.logger)
        }
    }

    /// Opens one connection outside the pool and closes it: tells at once why the server cannot
    /// be reached, where the pool would keep retrying.
    /// - Throws: ``PostgresStoreError`` `database`, naming the server (without the password) and
    ///   the problem (refused password, unknown database, TLS, network), never the server's text.
    public func checkConnection() async throws {
        let connection: PostgresConnection
        do {
            var quiet = logger
            quiet.logLevel = .critical
            connection = try await PostgresConnection.connect(configuration: try configuration.connectionConfiguration(), id: 0, logger: quiet)
        } catch let error as PostgresStoreError {
            throw error
        } catch {
            throw PostgresStoreError(.database, reason: "cannot connect to \(configuration.redactedURL): \(Self.connectionProblem(error))")
        }
        try? await connection.close()
    }

    static func connectionProblem(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(type(of: error))" }
        if let state = error.serverInfo?[.sqlState] {
            switch state {
            case "28P01", "28000": return "the server refused the user or password (\(state))"
            case "3D000": return "the database does not exist (\(state))"
            case "53300": return "the server has too many connections (\(state))"
            case "57P03": return "the server is starting up or shutting down (\(state))"
            default: return "PostgreSQL error \(state)"
            }
        }
        if error.code == .sslUnsupported { return "the server does not offer TLS" }
        // Network and TLS errors (connection refused, certificate rejected) carry no secrets.
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return "\(error.code)"
    }

    // MARK: - Transactions

    /// Runs `body` in a read-write transaction on one connection, retried when the server reports
    /// a serialization failure or a deadlock (the transaction was rolled back, so running it again
    /// is safe). Errors that are not the graph's own become `IdentityGraphError.storage` with the
    /// SQLSTATE only.
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await run(begin: "BEGIN", body)
    }

    /// Runs `body` in a read-only snapshot, so that its statements see one state of the database.
    func read<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await run(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", body)
    }

    /// The customer `identifier` belongs to, with all their links, through the prepared
    /// ``ResolveStatement``.
    func resolve(_ identifier: Identifier) async throws -> ResolvedCustomer? {
        do {
            var links: [Link] = []
            for try await row in try await client.execute(ResolveStatement(identifier), logger: logger) {
                links.append(try ResolveStatement.link(row))
            }
            return links.first.map { ResolvedCustomer(customerID: $0.customerID, links: links) }
        } catch let error as IdentityGraphError {
            throw error
        } catch {
            throw Self.storageError(error)
        }
    }

    /// Runs `body` on one connection outside any explicit transaction (single statements).
    func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch {
            throw Self.storageError(error)
        }
    }

    private func run<T: Sendable>(begin: PostgresQuery, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await client.withConnection { connection in
                    try await connection.query(begin, logger: self.logger)
                    do {
                        let value = try await body(connection)
                        try await connection.query("COMMIT", logger: self.logger)
                        return value
                    } catch {
                        _ = try? await connection.query("ROLLBACK", logger: self.logger)
                        throw error
                    }
                }
            } catch let error as PSQLError where Self.isRetryable(error) && attempt < 8 {
                attempt += 1
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 << min(attempt, 5)))))
            } catch {
                throw Self.storageError(error)
            }
        }
    }

    /// Serialization failure (40001) and deadlock (40P01): the server rolled the transaction back.
    private static func isRetryable(_ error: PSQLError) -> Bool {
        guard let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40001" || state == "40P01"
    }

    /// The error as thrown to callers: the graph's own errors as they are, anything else as
    /// `.storage` naming only the SQLSTATE or the driver's error code (never a value or a query).
    static func storageError(_ error: any Error) -> any Error {
        switch error {
        case is IdentityGraphError, is PostgresStoreError, is CancellationError:
            return error
        case let error as PSQLError:
            return IdentityGraphError.storage(describe(error))
        default:
            return IdentityGraphError.storage("PostgreSQL: \(type(of: error))")
        }
    }

    static func describe(_ error: PSQLError) -> String {
        if let state = error.serverInfo?[.sqlState] {
            return "PostgreSQL error \(state)"
        }
        return "PostgreSQL: \(error.code)"
    }

    static func sqlState(of error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }
}
