public import Logging
public import ServiceLifecycle

/// Checks the keys directory every few seconds and reloads a ``SigningKeyStore`` when
/// `solmu keys rotate` or `solmu keys prune` changed it, until graceful shutdown.
///
/// Logs each reload with the key ids that were added, retired and removed (never key material),
/// and a failed reload once per distinct error; the previous keys stay in use then.
public struct KeyReloadService: Service {
    let store: SigningKeyStore
    let interval: Duration
    let logger: Logger

    /// Creates the service.
    /// - Parameters:
    ///   - store: The store to keep current.
    ///   - interval: Time between checks; each check is one `stat` unless something changed.
    ///   - logger: Where reloads and failures are reported.
    public init(store: SigningKeyStore, interval: Duration = .seconds(5), logger: Logger) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        var lastFailure: String?
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let interval = self.interval
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return  // Cancelled or shutting down.
            }
            switch store.reloadIfChanged() {
            case .unchanged:
                break
            case .reloaded(let previous, let current):
                lastFailure = nil
                logger.info("signing keys reloaded", metadata: Self.metadata(previous: previous, current: current))
            case .failed(let error):
                let description = error.description
                if description != lastFailure {
                    logger.error("signing keys not reloaded; the previous keys stay in use", metadata: ["error": "\(description)"])
                    lastFailure = description
                }
            }
        }
    }

    /// Key ids only: which keys sign now, and which were added, retired or removed.
    static func metadata(previous: [SigningKeyInfo], current: [SigningKeyInfo]) -> Logger.Metadata {
        let before = Dictionary(previous.map { ($0.kid, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Set(current.map(\.kid))
        let added = current.filter { before[$0.kid] == nil }.map(\.kid)
        let retired = current.filter { $0.retiredAt != nil && before[$0.kid].map { $0.retiredAt == nil } == true }.map(\.kid)
        let removed = previous.filter { !after.contains($0.kid) }.map(\.kid)
        let active = current.filter { $0.retiredAt == nil }.map { "\($0.algorithm.rawValue):\($0.kid)" }
        return [
            "active": .array(active.map { .string($0) }),
            "added": .array(added.map { .string($0) }),
            "retired": .array(retired.map { .string($0) }),
            "removed": .array(removed.map { .string($0) }),
        ]
    }
}
