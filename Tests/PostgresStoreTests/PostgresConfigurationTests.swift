import CodedErrors
import PostgresStore
import Testing

/// Connection URLs: what is read from them, and that no error ever repeats the password.
@Suite("PostgreSQL connection URLs")
struct PostgresConfigurationTests {
    @Test func readsEveryPartOfAURL() throws {
        let configuration = try PostgresConfiguration(
            url: "postgres://sol%40mu:p%40ss%3Aw%2Frd@db.example.com:6543/identity?sslmode=verify-full&sslrootcert=/etc/ca.pem&pool_min=2&pool_max=30&connect_timeout=3"
        )
        #expect(configuration.username == "sol@mu")
        #expect(configuration.password == "p@ss:w/rd")
        #expect(configuration.host == "db.example.com")
        #expect(configuration.port == 6543)
        #expect(configuration.database == "identity")
        #expect(configuration.tlsMode == .verifyFull)
        #expect(configuration.rootCertificatePath == "/etc/ca.pem")
        #expect(configuration.minimumConnections == 2)
        #expect(configuration.maximumConnections == 30)
        #expect(configuration.connectTimeout == .seconds(3))
    }

    @Test func fillsInDefaults() throws {
        let configuration = try PostgresConfiguration(url: "postgresql://solmu@localhost")
        #expect(configuration.port == 5432)
        #expect(configuration.password == nil)
        #expect(configuration.database == "solmu")
        #expect(configuration.tlsMode == .prefer)
        #expect(configuration.maximumConnections == 20)
    }

    @Test func readsIPv6HostsAndEmptyPasswords() throws {
        let configuration = try PostgresConfiguration(url: "postgres://u:@[::1]:5433/db?sslmode=disable")
        #expect(configuration.host == "::1")
        #expect(configuration.port == 5433)
        #expect(configuration.password == "")
        #expect(configuration.tlsMode == .disable)
    }

    /// As in libpq, `require` with a root certificate verifies the chain.
    @Test func requireWithARootCertificateVerifiesTheChain() throws {
        let configuration = try PostgresConfiguration(url: "postgres://u:p@h/db?sslmode=require&sslrootcert=/ca.pem")
        #expect(configuration.tlsMode == .verifyCA)
    }

    @Test(arguments: [
        ("mysql://u:hunter2secret@h/db", PostgresStoreError.Code.invalidURL),
        ("postgres://h/db", .invalidURL),
        ("postgres://u:hunter2secret@h:99999/db", .invalidURL),
        ("postgres://u:hunter2secret@h:port/db", .invalidURL),
        ("postgres://u:hunter2secret@/db", .invalidURL),
        ("postgres://u:hunter2secret@h/db/extra", .invalidURL),
        ("postgres://u:hunter2secret@h/db?sslmode=sometimes", .invalidOption),
        ("postgres://u:hunter2secret@h/db?hunter2secret=1", .invalidOption),
        ("postgres://u:hunter2secret@h/db?pool_max=0", .invalidOption),
        ("postgres://u:hunter2secret@h/db?pool_min=5&pool_max=2", .invalidOption),
        ("postgres://u:hunter2secret%zz@h/db", .invalidURL),
    ])
    func refusesMalformedURLsWithoutEchoingThePassword(url: String, code: PostgresStoreError.Code) {
        do {
            _ = try PostgresConfiguration(url: url)
            Issue.record("accepted \(url)")
        } catch {
            #expect(error.code == code)
            #expect(!error.description.contains("hunter2"))
            #expect(!String(reflecting: error).contains("hunter2"))
        }
    }

    @Test func theRedactedURLHidesThePassword() throws {
        let configuration = try PostgresConfiguration(url: "postgres://solmu:hunter2secret@db:5432/identity?sslmode=require")
        #expect(configuration.redactedURL == "postgres://solmu:***@db:5432/identity?sslmode=require")
    }

    @Test func thePoolSizeCanBeSetLater() throws {
        var configuration = try PostgresConfiguration(url: "postgres://u:p@h/db?pool_min=4")
        try configuration.setPool(maximum: 2)
        #expect(configuration.maximumConnections == 2)
        #expect(configuration.minimumConnections == 2)
        #expect(throws: PostgresStoreError(.invalidOption, reason: "")) { try configuration.setPool(maximum: 0) }
    }

    @Test func aMissingRootCertificateFileIsATLSError() throws {
        let configuration = try PostgresConfiguration(url: "postgres://u:p@h/db?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem")
        #expect(throws: PostgresStoreError(.tlsConfiguration, reason: "")) { try configuration.clientConfiguration() }
    }
}
