public import CodedErrors

/// Why the PostgreSQL store could not be configured, reached or used with this database.
///
/// Neither ``reason`` nor ``description`` ever contains the password or rows' contents: a
/// connection URL's password is never echoed, and server errors are reduced to their SQLSTATE code.
/// Two errors are equal when their codes are equal.
public struct PostgresStoreError: CodedError {
    /// The kind of failure.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The connection URL is not `postgres://user:password@host:port/database?options`.
        case invalidURL
        /// A query option, or a pool or TLS setting, is unknown or has an unsupported value.
        case invalidOption
        /// The TLS configuration (the root certificate file) could not be loaded.
        case tlsConfiguration
        /// The database has a migration this build does not know: a newer Solmu migrated it.
        case schemaTooNew
        /// The database lacks migrations this build needs; run `solmu migrate`.
        case migrationsPending
        /// A migration failed and was rolled back.
        case migrationFailed
        /// The server could not be reached or refused the statement.
        case database
    }

    /// The kind of failure.
    public let code: Code
    /// A short explanation, safe for logs.
    public let reason: String

    /// Creates an error.
    public init(_ code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }

    public static let invalidURL = Self(.invalidURL, reason: "not a postgres:// URL")
    public static let schemaTooNew = Self(.schemaTooNew, reason: "the database schema is newer than this build")
    public static let migrationsPending = Self(.migrationsPending, reason: "the database needs migrations")
}
