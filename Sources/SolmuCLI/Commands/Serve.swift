import ArgumentParser
import Channels
import Foundation
import Hummingbird
import Identifiers
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import SolmuHTTP
import Messaging
import AsyncHTTPClient
import Policies
import IdentityGraph
import Tokens

/// `solmu serve`: the identity service.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the identity service.",
        discussion: """
            On a fresh machine this starts on 127.0.0.1:8080 with SQLite at data/solmu.sqlite, \
            policies from policies/ and signing keys in keys/ (generated on first start, owner-only). \
            SIGTERM or SIGINT stops it gracefully: open requests finish first.
            """
    )

    @Option(help: ArgumentHelp("The address to listen on. [env: SOLMU_HOST] (default: 127.0.0.1)", valueName: "address"))
    var host: String?

    @Option(help: ArgumentHelp("The port to listen on. [env: SOLMU_PORT] (default: 8080)", valueName: "port"))
    var port: Int?

    @Option(help: ArgumentHelp("The issuer URL, iss of every token. [env: SOLMU_ISSUER] (default: http://HOST:PORT)", valueName: "url"))
    var issuer: String?

    @Option(help: ArgumentHelp("trace, debug, info, notice, warning, error or critical. [env: SOLMU_LOG_LEVEL] (default: info)", valueName: "level"))
    var logLevel: String?

    @OptionGroup var storage: StoreOptions

    func run() async throws {
        let host = EnvironmentVariables.value(self.host, "SOLMU_HOST", default: "127.0.0.1")
        let portText = EnvironmentVariables.value(self.port.map(String.init), "SOLMU_PORT", default: "8080")
        guard let port = Int(portText), (0...65_535).contains(port) else {
            throw CLIError("--port must be a number from 0 to 65535")
        }
        let issuer = EnvironmentVariables.value(self.issuer, "SOLMU_ISSUER", default: "http://\(host.contains(":") ? "[\(host)]" : host):\(port)")
        guard let issuerURL = URL(string: issuer), let scheme = issuerURL.scheme, scheme == "https" || scheme == "http",
              issuerURL.host != nil, issuerURL.query == nil, issuerURL.fragment == nil
        else {
            throw CLIError("--issuer must be an http(s) URL without query or fragment")
        }
        let levelName = EnvironmentVariables.value(logLevel, "SOLMU_LOG_LEVEL", default: "info")
        guard let level = Logger.Level(rawValue: levelName) else {
            throw CLIError("--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }

        let logger = {
            var logger = Logger(label: "solmu")
            logger.logLevel = level
            return logger
        }()

        let policies = try storage.loadPolicies()
        let keys = try storage.loadKeys()
        // Migrates the database first; a schema newer than this build refuses to start.
        let stores = try await storage.openStores(policies: policies, keys: keys, logger: logger)
        let (store, loginStore) = (stores.identities, stores.login)

        // Process-wide systems are set up only once every setting has been checked.
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let services = try SolmuServices(
            store: store, loginStore: loginStore, normalizer: IdentifierNormalizer(policy: policies.identifiers),
            clients: ClientAuthenticator(channels: policies.channels), keys: keys, issuer: issuer, logger: logger
        )
        // Delivers one-time codes and back-channel logout tokens from the persisted outbox. The client
        // never follows redirects: a redirected POST could carry a code or a token somewhere else.
        let httpClient = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: HTTPClient.Configuration(redirectConfiguration: .disallow)
        )
        let outbox = OutboxDelivery(store: loginStore, policy: policies.messaging, httpClient: httpClient, logger: logger)
        let router = SolmuRouter.build(services: services, metricsRegistry: registry)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "Solmu"),
            // The PostgreSQL pool comes first, so that the group stops it last.
            services: (stores.postgres.map { [$0] } ?? [])
                + [outbox, LoginHousekeeping(store: loginStore, logger: logger), KeyReloadService(store: services.keyStore, logger: logger)],
            onServerRunning: { channel in
                logger.info("Solmu is listening", metadata: [
                    "address": "\(channel.localAddress?.description ?? "?")", "issuer": "\(issuer)",
                    "database": "\(storage.redactedDatabaseURL)", "channels": "\(policies.channels.count)",
                ])
            },
            logger: logger
        )
        do {
            try await app.runService()
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
        try await httpClient.shutdown()
    }
}
