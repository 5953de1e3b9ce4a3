import Synchronization

/// The current ``SigningKeySet`` of a running server, replaced when the keys directory changes.
///
/// Signers and verifiers read ``current`` (one uncontended mutex and one reference count per
/// token, no file system access); ``reloadIfChanged()``, called every few seconds by
/// ``KeyReloadService``, stats the manifest and re-reads the directory only when the manifest was
/// replaced. A rotation or prune done by `solmu keys` therefore takes effect without a restart:
/// new tokens are signed with the new key, and the JWKS and verification follow the manifest.
///
/// A store made with ``init(keys:)`` never reloads; it serves a fixed set (tests, tools).
public final class SigningKeyStore: Sendable {
    /// The outcome of ``reloadIfChanged()``, for the caller to log.
    public enum ReloadResult: Sendable, Equatable {
        /// The manifest is the one already loaded (or the store does not reload).
        case unchanged
        /// The directory was re-read; the keys before and after, without key material.
        case reloaded(previous: [SigningKeyInfo], current: [SigningKeyInfo])
        /// The manifest changed but the directory could not be loaded; the previous keys stay in
        /// use. The same broken manifest is not tried again until it changes once more.
        case failed(SigningKeyError)
    }

    /// One loaded set, shared by reference so that a read copies a pointer, not the set.
    final class Snapshot: Sendable {
        let keys: SigningKeySet

        init(_ keys: SigningKeySet) {
            self.keys = keys
        }
    }

    private struct State: Sendable {
        var snapshot: Snapshot
        /// The manifest version ``snapshot`` was loaded from (or last failed to load from); `nil`
        /// when unknown, so that the first check reloads.
        var fingerprint: KeyDirectory.Fingerprint?
    }

    /// Whether ``reloadIfChanged()`` looks at the directory at all.
    public let reloads: Bool
    private let state: Mutex<State>

    /// A store serving `keys` for good: ``reloadIfChanged()`` always answers `unchanged`.
    /// - Parameter keys: The keys.
    public init(keys: SigningKeySet) {
        self.reloads = false
        self.state = Mutex(State(snapshot: Snapshot(keys), fingerprint: nil))
    }

    /// A store serving `keys` that follows changes to their directory, ``SigningKeySet/directory``.
    ///
    /// The manifest version `keys` came from is not known, so the first ``reloadIfChanged()``
    /// re-reads the directory once (and reports `reloaded` only if the keys differ).
    /// - Parameter keys: The keys loaded at start-up.
    public init(reloading keys: SigningKeySet) {
        self.reloads = true
        self.state = Mutex(State(snapshot: Snapshot(keys), fingerprint: nil))
    }

    /// Loads (or, on first start, creates) the keys in `directory` and follows later changes.
    /// - Parameter directory: The keys directory.
    /// - Throws: ``SigningKeyError`` as ``SigningKeySet/loadOrCreate(directory:)``.
    public init(directory: String) throws(SigningKeyError) {
        // Stat before reading: a change in between is seen by the next check. On first start
        // there is no manifest to stat until loading has created it.
        let keyDirectory = KeyDirectory(path: directory)
        let before = keyDirectory.fingerprint(SigningKeyManifest.fileName)
        let keys = try SigningKeySet.loadOrCreate(directory: directory)
        let fingerprint = before ?? keyDirectory.fingerprint(SigningKeyManifest.fileName)
        self.reloads = true
        self.state = Mutex(State(snapshot: Snapshot(keys), fingerprint: fingerprint))
    }

    /// The keys in use now.
    public var current: SigningKeySet {
        snapshot.keys
    }

    /// The keys in use now, by reference (the hot path of signing and verifying).
    var snapshot: Snapshot {
        state.withLock { $0.snapshot }
    }

    /// Re-reads the keys directory if the manifest was replaced or modified since the last load.
    ///
    /// Cheap when nothing changed: one `stat` of `signing-keys.json`. The re-read runs outside the
    /// lock, so signing and verifying continue meanwhile; a failed re-read keeps the keys in use.
    /// Calls are meant to come from one task (``KeyReloadService``); concurrent calls are safe but
    /// may load the same version twice.
    /// - Returns: What happened, for the caller to log.
    @discardableResult
    public func reloadIfChanged() -> ReloadResult {
        guard reloads else { return .unchanged }
        let (loaded, known) = state.withLock { ($0.snapshot, $0.fingerprint) }
        let directory = KeyDirectory(path: loaded.keys.directory)
        let fingerprint = directory.fingerprint(SigningKeyManifest.fileName)
        if let fingerprint, fingerprint == known { return .unchanged }
        do {
            let keys = try SigningKeySet.load(directory: loaded.keys.directory, linkLogKey: loaded.keys.linkLogKey)
            let previous = loaded.keys.keys
            guard keys.keys != previous else {
                // Rewritten with the same keys (kids are thumbprints, so the same key material).
                state.withLock { $0.fingerprint = fingerprint }
                return .unchanged
            }
            state.withLock { $0 = State(snapshot: Snapshot(keys), fingerprint: fingerprint) }
            return .reloaded(previous: previous, current: keys.keys)
        } catch {
            // A missing manifest has no fingerprint; it is retried on every check until it is back.
            state.withLock { $0.fingerprint = fingerprint }
            return .failed(error)
        }
    }
}
