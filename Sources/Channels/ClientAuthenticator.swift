import Crypto
public import NIOPosix
import Synchronization

/// Authenticates channels at the token endpoint with their client secret.
///
/// scrypt makes a wrong guess expensive, and so it makes a right one expensive too; a channel
/// that asks for a token many times a second would spend its CPU on it. After one successful
/// scrypt verification the authenticator remembers a keyed hash of that secret (HMAC-SHA-256
/// under a key drawn at start-up, never persisted), and later requests compare against it in
/// constant time. A wrong secret never enters the cache and always pays for scrypt. scrypt runs
/// on a thread pool, never on the event loop, and once for concurrent requests presenting the
/// same secret: a burst of token requests at start-up (a cold cache, a new instance behind a
/// load balancer) waits for one verification instead of queueing one per request.
public struct ClientAuthenticator: Sendable {
    private let registry: [String: Channel]

    /// Every registered channel.
    public var channels: [Channel] { Array(registry.values) }
    private let verified = VerifiedSecrets()
    private let cacheKey = SymmetricKey(size: .bits256)
    private let threadPool: NIOThreadPool

    public init(channels: [Channel], threadPool: NIOThreadPool = .singleton) {
        self.registry = Dictionary(channels.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.threadPool = threadPool
    }

    /// The channel registered as `clientID`, without authenticating it.
    public func channel(_ clientID: String) -> Channel? {
        registry[clientID]
    }

    /// The channel, when `secret` is its secret.
    /// - Throws: `ClientAuthenticationError` when the client is unknown, public, has no secret
    ///   (`private_key_jwt` only), or the secret is wrong.
    public func authenticate(clientID: String, secret: String) async throws(ClientAuthenticationError) -> Channel {
        guard let channel = registry[clientID] else { throw .unknownClient }
        let hash: SecretHash
        switch channel.clientType {
        case .confidential(let registered): hash = registered
        case .privateKeyJWT: throw .noSecretRegistered
        case .public: throw .publicClientWithSecret
        }
        let presented = Array(HMAC<SHA256>.authenticationCode(for: Array(secret.utf8), using: cacheKey))
        let remembered = verified.mutex.withLock { $0[clientID] }
        if let remembered, ConstantTime.equals(remembered, presented) {
            return channel
        }
        let matches: Bool
        do {
            matches = try await verified.once(clientID: clientID, presented: presented) { [threadPool] in
                try await threadPool.runIfActive { hash.verify(secret) }
            }
        } catch {
            throw .unavailable
        }
        guard matches else { throw .wrongSecret }
        verified.mutex.withLock { $0[clientID] = presented }
        return channel
    }
}

/// Why a client could not be authenticated. All of them answer `invalid_client`; the cases exist
/// for logs and tests.
public enum ClientAuthenticationError: Error, Sendable, Equatable {
    case unknownClient
    case wrongSecret
    case publicClientWithSecret
    /// The channel authenticates only with `private_key_jwt`; a secret is never accepted.
    case noSecretRegistered
    case unavailable
}

/// Keyed hashes of secrets that passed scrypt, by client id, and the verifications in flight.
private final class VerifiedSecrets: Sendable {
    let mutex = Mutex<[String: [UInt8]]>([:])
    private let inFlight = Mutex<[[UInt8]: Task<Bool, any Error>]>([:])

    /// Runs `verify` once for concurrent callers presenting the same secret (by its keyed hash).
    func once(clientID: String, presented: [UInt8], _ verify: @escaping @Sendable () async throws -> Bool) async throws -> Bool {
        let key = Array(clientID.utf8) + [0] + presented
        let task = inFlight.withLock { tasks in
            if let running = tasks[key] { return running }
            let task = Task { try await verify() }
            tasks[key] = task
            return task
        }
        defer { inFlight.withLock { tasks in if tasks[key] == task { tasks[key] = nil } } }
        return try await task.value
    }
}
