import Channels
import CustomerLogin
import Foundation
import Hummingbird
import HummingbirdTesting
import Identifiers
import IdentityGraph
import Logging
import Policies
import SQLiteStore
import SolmuHTTP
import Testing
import Tokens
import NIOFoundationEssentialsCompat
import NIOCore
import Tokens

/// A complete Solmu on a throwaway SQLite database, with the repository's policies and fresh keys.
struct TestHarness {
    static let issuer = "http://solmu.test"
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// Policies are read once; scrypt verification happens once per channel and harness.
    static let policies = try! PolicySet.load(directory: repository.appendingPathComponent("policies").path)

    let services: SolmuServices
    let store: any IdentityStore
    let loginStore: any LoginStore
    let keys: SigningKeySet
    let directory: URL

    /// - Parameter channels: the channel registry; the repository's by default.
    init(channels: [Channels.Channel] = Self.policies.channels, now: @escaping @Sendable () -> Date = Date.init) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("solmu-http-\(UUID().uuidString)")
        keys = try SigningKeySet.loadOrCreate(directory: directory.appendingPathComponent("keys").path)
        let database = try SQLiteDatabase(path: directory.appendingPathComponent("solmu.sqlite").path)
        store = SQLiteIdentityStore(database: database, rules: Self.policies.rules, keys: LinkLogKeys(master: keys.linkLogKey))
        loginStore = SQLiteLoginStore(database: database)
        var logger = Logger(label: "solmu-test")
        logger.logLevel = .critical
        services = try SolmuServices(
            store: store, loginStore: loginStore, normalizer: IdentifierNormalizer(policy: Self.policies.identifiers),
            clients: ClientAuthenticator(channels: channels), keys: keys, issuer: Self.issuer, logger: logger, now: now
        )
    }

    var application: some ApplicationProtocol {
        Application(router: SolmuRouter.build(services: services))
    }

    /// Runs `body` against the router, without a socket.
    func test<Value: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        try await application.test(.router) { client in try await body(client) }
    }

    /// A token for `channel` with all its scopes, signed like the token endpoint would.
    func token(_ channel: String, scope: [String]? = nil, audience: [String]? = nil, lifetime: Duration = .seconds(300)) async throws -> String {
        let registered = try #require(Self.policies.channels.first { $0.id == channel })
        return try await services.signer.issueAccessToken(
            subject: channel, audience: audience ?? [services.apiAudience], clientID: channel,
            scope: scope ?? registered.scopes.sorted(), lifetime: lifetime
        ).token
    }
}

extension TestResponse {
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }

    var text: String { String(buffer: body) }
}

extension TestClientProtocol {
    func json(
        _ method: HTTPRequest.Method, _ uri: String, token: String?, body: String? = nil, contentType: String = "application/json"
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = contentType }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    func form(_ uri: String, _ body: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }
}

func basic(_ id: String, _ secret: String) -> String {
    "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString()
}
