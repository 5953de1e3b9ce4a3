public import Crypto
public import Foundation

extension SigningKeySet {
    /// Adds a new signing key for `algorithm` and retires the key that signed until now.
    ///
    /// The new key's file is created like on first start (`O_EXCL`, mode 0600) and synced before
    /// the manifest names it. Every active key of `algorithm` gets `retired_at = now`: it stops
    /// signing but stays in the manifest, so it still verifies and is still published in the
    /// JWKS until ``prune(directory:olderThan:now:)`` removes it. The manifest is replaced
    /// atomically (temporary file and rename), under an exclusive lock on the directory, so a
    /// running server sees either the old or the new manifest, never a partial one.
    ///
    /// To rotate both algorithms, call this once per algorithm.
    ///
    /// - Parameters:
    ///   - directory: The keys directory; it must already hold a manifest.
    ///   - algorithm: Which algorithm gets a new key.
    ///   - now: The time recorded as the new key's `created_at` and the old key's `retired_at`.
    /// - Returns: The new key.
    /// - Throws: ``SigningKeyError``: `missingFile` when there is no manifest yet, `malformedManifest`
    ///   for an unreadable one, `ioFailure` when a file cannot be written.
    @discardableResult
    public static func rotate(directory path: String, algorithm: SigningAlgorithm, now: Date = Date()) throws(SigningKeyError) -> SigningKeyInfo {
        let directory = KeyDirectory(path: path)
        return try directory.withExclusiveLock { () throws(SigningKeyError) -> SigningKeyInfo in
            var manifest = try readManifest(in: directory)
            let now = wholeSeconds(now)
            let key = try createKey(algorithm, in: directory, createdAt: now)
            for index in manifest.keys.indices
            where manifest.keys[index].algorithm == algorithm && manifest.keys[index].retiredAt == nil {
                manifest.keys[index].retiredAt = now
            }
            manifest.keys.append(key.entry)
            try directory.replaceFile(SigningKeyManifest.fileName, contents: manifest.encoded())
            return key.info
        }
    }

    /// Removes retired keys whose retirement lies more than `olderThan` before `now`.
    ///
    /// `olderThan` must be at least the longest lifetime of any token signed by this server (plus
    /// a margin for clock skew): a key retired that long ago signed no token that is still valid.
    /// Each key is removed from the manifest first (one atomic rewrite for all of them) and its
    /// file afterwards, so a crash in between leaves at worst an unreferenced file, never a
    /// manifest naming a missing file. Active keys are never removed.
    ///
    /// - Parameters:
    ///   - directory: The keys directory; it must already hold a manifest.
    ///   - olderThan: How long a key must have been retired; negative durations count as zero.
    ///   - now: The reference time.
    /// - Returns: The removed keys, in manifest order; empty when nothing was due.
    /// - Throws: ``SigningKeyError``: `missingFile` when there is no manifest, `malformedManifest`
    ///   for an unreadable one, `ioFailure` when the manifest cannot be written or a file cannot be
    ///   removed (the manifest no longer names it then; remove it by hand).
    @discardableResult
    public static func prune(directory path: String, olderThan: Duration, now: Date = Date()) throws(SigningKeyError) -> [SigningKeyInfo] {
        let directory = KeyDirectory(path: path)
        let limit = now.addingTimeInterval(-max(0, seconds(olderThan)))
        return try directory.withExclusiveLock { () throws(SigningKeyError) -> [SigningKeyInfo] in
            var manifest = try readManifest(in: directory)
            let isDue = { (entry: SigningKeyManifest.Entry) -> Bool in
                guard let retiredAt = entry.retiredAt else { return false }
                return retiredAt < limit
            }
            let pruned = manifest.keys.filter(isDue)
            guard !pruned.isEmpty else { return [] }
            manifest.keys.removeAll(where: isDue)
            try directory.replaceFile(SigningKeyManifest.fileName, contents: manifest.encoded())
            let stillNamed = Set(manifest.keys.map(\.file))
            for entry in pruned where !stillNamed.contains(entry.file) {
                try directory.removeFile(entry.file)
            }
            return pruned.map { SigningKeyInfo(kid: $0.kid, algorithm: $0.algorithm, createdAt: $0.createdAt, retiredAt: $0.retiredAt) }
        }
    }

    /// Loads the keys in `directory` without creating or changing anything: the reload path of a
    /// running server.
    ///
    /// Unlike ``loadOrCreate(directory:)`` this never writes. It requires an active key for every
    /// algorithm (a manifest without one is refused rather than repaired behind the operator's
    /// back) and keeps `linkLogKey` as given: the link-log key is never reloaded, because
    /// everything derived from it at start-up would silently stop matching.
    ///
    /// - Parameters:
    ///   - directory: The keys directory.
    ///   - linkLogKey: The link-log key already in use.
    /// - Returns: The keys.
    /// - Throws: ``SigningKeyError`` as ``loadOrCreate(directory:)``, and `malformedManifest` when an
    ///   algorithm has no active key.
    public static func load(directory path: String, linkLogKey: SymmetricKey) throws(SigningKeyError) -> SigningKeySet {
        let directory = KeyDirectory(path: path)
        let manifest = try readManifest(in: directory)
        for algorithm in SigningAlgorithm.allCases where manifest.activeEntry(for: algorithm) == nil {
            throw SigningKeyError(
                .malformedManifest, path: directory.filePath(SigningKeyManifest.fileName),
                reason: "no active \(algorithm.rawValue) key; run solmu keys rotate --algorithm \(algorithm.rawValue)"
            )
        }
        let keys = try manifest.keys.map { entry throws(SigningKeyError) in try load(entry, from: directory) }
        return SigningKeySet(directory: path, manifest: manifest, keys: keys, linkLogKey: linkLogKey)
    }

    /// The manifest of an existing keys directory.
    static func readManifest(in directory: KeyDirectory) throws(SigningKeyError) -> SigningKeyManifest {
        let bytes = try directory.readFile(SigningKeyManifest.fileName, secret: false)
        return try SigningKeyManifest.decode(bytes, path: directory.filePath(SigningKeyManifest.fileName))
    }

    /// A duration in seconds, fractions included.
    static func seconds(_ duration: Duration) -> TimeInterval {
        let components = duration.components
        return TimeInterval(components.seconds) + TimeInterval(components.attoseconds) / 1e18
    }
}
