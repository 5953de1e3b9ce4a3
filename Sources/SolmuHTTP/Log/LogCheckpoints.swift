public import Crypto
public import Foundation
public import IdentityGraph
import Synchronization
public import VerifiableLog

/// Signs the verifiable link log's checkpoints (C2SP tlog-checkpoint in a signed note) and hands
/// out the latest one.
///
/// A new checkpoint is signed when the log has grown and the latest is older than `interval`, so at
/// most one every few seconds however often auditors ask. The store keeps one checkpoint per size
/// and refuses a second root for a size, so instances behind a load balancer never sign two
/// different roots for the same size.
public struct LogCheckpoints: Sendable {
    /// The log's origin line, also the signing key's name: the issuer without its scheme, and
    /// `/link-log`. E.g. `solmu.example.com/link-log`.
    public let origin: String
    public let signer: NoteSigner
    public let interval: Duration
    private let store: any IdentityStore
    private let now: @Sendable () -> Date

    public init(issuer: String, key: Curve25519.Signing.PrivateKey, store: any IdentityStore, interval: Duration = .seconds(5),
                now: @escaping @Sendable () -> Date = Date.init) throws {
        self.origin = Self.origin(issuer: issuer)
        self.signer = try NoteSigner(name: origin, privateKey: key)
        self.interval = interval
        self.store = store
        self.now = now
    }

    /// The verifier key auditors pin: `<origin>+<key id>+<base64 public key>`.
    public var verifierKey: String { signer.verifier.verifierKey }

    /// The origin for an issuer URL.
    public static func origin(issuer: String) -> String {
        var text = issuer
        for scheme in ["https://", "http://"] where text.hasPrefix(scheme) { text.removeFirst(scheme.count) }
        while text.hasSuffix("/") { text.removeLast() }
        return text + "/link-log"
    }

    /// The latest checkpoint, signing a new one first when the log grew and the latest is older
    /// than `interval`.
    public func latest() async throws -> StoredCheckpoint {
        let time = now()
        let stored = try await store.latestCheckpoint()
        if let stored, time.timeIntervalSince(stored.createdAt) < interval.seconds { return stored }
        let head = try await store.logTreeHead()
        if let stored, stored.size == head.size { return stored }
        guard let root = TreeHash(bytes: head.root) else { throw IdentityGraphError.storage("the log's root is not 32 bytes") }
        let checkpoint = try Checkpoint(origin: origin, size: head.size, rootHash: root)
        let note = try checkpoint.signed(by: [signer]).formatted
        return try await store.saveCheckpoint(StoredCheckpoint(size: head.size, root: head.root, note: note, createdAt: time))
    }
}

extension Duration {
    fileprivate var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
