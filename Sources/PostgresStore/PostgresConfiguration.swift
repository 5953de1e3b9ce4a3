public import Foundation
public import PostgresNIO

/// Where the PostgreSQL database is and how to connect to it, read from a connection URL:
///
///     postgres://user:password@host:5432/database?sslmode=verify-full&sslrootcert=/etc/ca.pem
///
/// `postgresql://` works too. User and password are percent-decoded. Query options (libpq's names
/// where they exist): `sslmode` (`disable`, `prefer`, `require`, `verify-ca`, `verify-full`),
/// `sslrootcert` (a PEM file of trusted roots; without it the system's roots), `pool_min` and
/// `pool_max` (the connection pool's bounds) and `connect_timeout` (seconds).
public struct PostgresConfiguration: Sendable, Equatable {
    /// How the connection uses TLS, with libpq's meanings.
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, without verifying its certificate.
        case prefer
        /// TLS or nothing, without verifying the certificate (with `sslrootcert`: as `verify-ca`).
        case require
        /// TLS with a certificate chain to a trusted root, any host name.
        case verifyCA = "verify-ca"
        /// TLS with a certificate chain to a trusted root for the host name connected to.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tlsMode: TLSMode
    /// A PEM file of trusted root certificates for `verify-ca` and `verify-full`.
    public var rootCertificatePath: String?
    /// Connections kept open even when idle.
    public var minimumConnections: Int
    /// The most connections one instance opens; the sum over all instances must stay below the
    /// server's `max_connections`.
    public var maximumConnections: Int
    public var connectTimeout: Duration

    /// Reads a connection URL.
    /// - Throws: ``PostgresStoreError`` (`invalidURL`, `invalidOption`), never quoting the password.
    public init(url: String) throws(PostgresStoreError) {
        // Parsed by hand rather than with URLComponents, so that a password with reserved
        // characters still works when percent-encoded and an error never echoes the input.
        let schemes = ["postgres://", "postgresql://"]
        guard let scheme = schemes.first(where: { url.lowercased().hasPrefix($0) }) else {
            throw PostgresStoreError(.invalidURL, reason: "a database URL starts with postgres:// or postgresql://")
        }
        var rest = Substring(url.dropFirst(scheme.count))
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var userInfo: Substring?
        if let at = rest.lastIndex(of: "@") {
            userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
        }

        // Credentials.
        guard let userInfo, !userInfo.isEmpty else {
            throw PostgresStoreError(.invalidURL, reason: "the database URL names no user (postgres://user:password@host/database)")
        }
        let user: Substring
        if let colon = userInfo.firstIndex(of: ":") {
            user = userInfo[..<colon]
            guard let password = String(userInfo[userInfo.index(after: colon)...]).removingPercentEncoding else {
                throw PostgresStoreError(.invalidURL, reason: "the database URL's password is not valid percent-encoding")
            }
            self.password = password
        } else {
            user = userInfo
            self.password = nil
        }
        guard let username = String(user).removingPercentEncoding, !username.isEmpty else {
            throw PostgresStoreError(.invalidURL, reason: "the database URL's user is empty or not valid percent-encoding")
        }
        self.username = username

        // Host and port; an IPv6 address is in brackets.
        var hostPart = rest
        var portPart: Substring?
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else {
                throw PostgresStoreError(.invalidURL, reason: "the database URL's IPv6 host lacks its closing bracket")
            }
            let after = hostPart[hostPart.index(after: close)...]
            if after.hasPrefix(":") { portPart = after.dropFirst() } else if !after.isEmpty {
                throw PostgresStoreError(.invalidURL, reason: "unexpected text after the database URL's host")
            }
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
        } else if let colon = hostPart.lastIndex(of: ":") {
            portPart = hostPart[hostPart.index(after: colon)...]
            hostPart = hostPart[..<colon]
        }
        guard !hostPart.isEmpty, let host = String(hostPart).removingPercentEncoding else {
            throw PostgresStoreError(.invalidURL, reason: "the database URL names no host")
        }
        self.host = host
        if let portPart {
            guard let port = Int(portPart), (1...65_535).contains(port) else {
                throw PostgresStoreError(.invalidURL, reason: "the database URL's port is not a number from 1 to 65535")
            }
            self.port = port
        } else {
            self.port = 5432
        }

        guard let database = String(path).removingPercentEncoding, !database.contains("/") else {
            throw PostgresStoreError(.invalidURL, reason: "the database URL's path is not one database name")
        }
        self.database = database.isEmpty ? username : database

        // Options.
        tlsMode = .prefer
        rootCertificatePath = nil
        minimumConnections = 0
        maximumConnections = 20
        connectTimeout = .seconds(10)
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            guard let value = parts.count == 2 ? String(parts[1]).removingPercentEncoding : nil else {
                throw PostgresStoreError(.invalidOption, reason: "a database URL option has no value (name=value)")
            }
            switch name {
            case "sslmode":
                guard let mode = TLSMode(rawValue: value) else {
                    throw PostgresStoreError(.invalidOption, reason: "sslmode must be one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                tlsMode = mode
            case "sslrootcert":
                rootCertificatePath = value
            case "pool_min":
                guard let count = Int(value), count >= 0 else {
                    throw PostgresStoreError(.invalidOption, reason: "pool_min must be a number of connections")
                }
                minimumConnections = count
            case "pool_max":
                guard let count = Int(value), count >= 1 else {
                    throw PostgresStoreError(.invalidOption, reason: "pool_max must be at least 1")
                }
                maximumConnections = count
            case "connect_timeout":
                guard let seconds = Int(value), seconds >= 1 else {
                    throw PostgresStoreError(.invalidOption, reason: "connect_timeout must be a number of seconds")
                }
                connectTimeout = .seconds(seconds)
            default:
                // The name is not echoed: it could be a secret pasted in the wrong place.
                throw PostgresStoreError(
                    .invalidOption, reason: "unknown database URL option; known: sslmode, sslrootcert, pool_min, pool_max, connect_timeout"
                )
            }
        }
        if rootCertificatePath != nil, tlsMode == .require {
            tlsMode = .verifyCA
        }
        try validatePool()
    }

    /// Sets the pool's bounds (`--database-pool-size`), checking them.
    /// - Throws: `invalidOption` unless `0 <= minimum <= maximum` and `maximum >= 1`.
    public mutating func setPool(minimum: Int? = nil, maximum: Int) throws(PostgresStoreError) {
        maximumConnections = maximum
        if let minimum { minimumConnections = minimum }
        minimumConnections = min(minimumConnections, maximumConnections)
        try validatePool()
    }

    private func validatePool() throws(PostgresStoreError) {
        guard maximumConnections >= 1, minimumConnections >= 0, minimumConnections <= maximumConnections else {
            throw PostgresStoreError(.invalidOption, reason: "the pool needs 0 <= minimum <= maximum and at least one connection")
        }
    }

    /// The URL with the password replaced by `***`, for logs and messages.
    public var redactedURL: String {
        let user = username.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? "?"
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)\(password == nil ? "" : ":***")@\(hostPart):\(port)/\(database)?sslmode=\(tlsMode.rawValue)"
    }

    /// The same server with another database (the test suite's fresh databases).
    public func with(database: String) -> Self {
        var copy = self
        copy.database = database
        return copy
    }

    /// The TLS settings of `tlsMode`; `nil` for `disable`.
    private func tlsConfiguration() throws(PostgresStoreError) -> TLSConfiguration? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch tlsMode {
        case .disable:
            return nil
        case .prefer, .require:
            configuration.certificateVerification = .none
        case .verifyCA, .verifyFull:
            configuration.certificateVerification = tlsMode == .verifyFull ? .fullVerification : .noHostnameVerification
            if let rootCertificatePath {
                do {
                    configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(rootCertificatePath))
                } catch {
                    throw PostgresStoreError(.tlsConfiguration, reason: "cannot read the root certificates in \(rootCertificatePath)")
                }
            }
        }
        return configuration
    }

    /// The configuration of a single connection (``PostgresDatabase/checkConnection()``).
    func connectionConfiguration() throws(PostgresStoreError) -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        if let configuration = try tlsConfiguration() {
            let context: NIOSSLContext
            do {
                context = try NIOSSLContext(configuration: configuration)
            } catch {
                throw PostgresStoreError(.tlsConfiguration, reason: "cannot set up TLS")
            }
            tls = tlsMode == .prefer ? .prefer(context) : .require(context)
        } else {
            tls = .disable
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls
        )
        let (seconds, attoseconds) = connectTimeout.components
        configuration.options.connectTimeout = .milliseconds(seconds * 1_000 + attoseconds / 1_000_000_000_000_000)
        return configuration
    }

    /// The postgres-nio client configuration.
    /// - Throws: `tlsConfiguration` when the root certificate file cannot be read.
    public func clientConfiguration() throws(PostgresStoreError) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        if let configuration = try tlsConfiguration() {
            tls = tlsMode == .prefer ? .prefer(configuration) : .require(configuration)
        } else {
            tls = .disable
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls
        )
        configuration.options.minimumConnections = minimumConnections
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = connectTimeout
        return configuration
    }
}
