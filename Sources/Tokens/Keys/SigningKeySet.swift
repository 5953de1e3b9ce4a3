public import Crypto
import Foundation
import _CryptoExtras

/// The server's signing keys and link-log HMAC key, loaded from the `keys/` directory.
///
/// Layout of the directory (created with mode 0700 if missing):
///
/// ```
/// keys/
///   signing-keys.json        manifest: kid, alg, file, created_at, retired_at per key
///   es256-<kid>.pem          PKCS#8 P-256 private key, mode 0600
///   eddsa-<kid>.pem          PKCS#8 Ed25519 private key, mode 0600
///   link-log.key             base64 of 32 random bytes, mode 0600
/// ```
///
/// Every key in the manifest verifies and is published in ``jwks``; per algorithm the newest key
/// whose `retired_at` is null signs. The value is immutable and cheap to copy; key objects are
/// built once, here, and reused for every token.
public struct SigningKeySet: Sendable {
    /// The name of the link-log HMAC key file.
    static let linkLogKeyFileName = "link-log.key"

    /// The keys directory.
    public let directory: String
    /// All keys, in manifest order.
    let orderedKeys: [SigningKey]
    /// All keys by `kid`.
    let keysByID: [String: SigningKey]
    /// The signing key per algorithm.
    let activeKeys: [SigningAlgorithm: SigningKey]

    /// The public keys of every key in the manifest, for the `jwks_uri` document.
    public let jwks: JSONWebKeySet

    /// The 32-byte HMAC key of the link log, from `link-log.key`.
    public let linkLogKey: SymmetricKey

    /// Every key, in manifest order, without key material.
    public var keys: [SigningKeyInfo] {
        orderedKeys.map(\.info)
    }

    /// The key that currently signs with `algorithm`.
    /// - Parameter algorithm: The algorithm.
    /// - Returns: The newest non-retired key of that algorithm.
    public func activeKey(for algorithm: SigningAlgorithm) -> SigningKeyInfo? {
        activeKeys[algorithm]?.info
    }

    /// Loads the keys in `directory`, creating what is missing on first start.
    ///
    /// On first start (no manifest) this creates the directory (mode 0700), one ES256 and one
    /// EdDSA key (mode 0600), the manifest and `link-log.key` (mode 0600). Later, if the manifest
    /// has no active key for an algorithm, a new key for it is generated and appended.
    ///
    /// `link-log.key` is generated only on first start: if the manifest exists but the key file does
    /// not, loading fails, because a new HMAC key would make the existing link log unverifiable.
    ///
    /// - Parameter directory: The keys directory, e.g. `keys`.
    /// - Returns: The loaded keys.
    /// - Throws: ``SigningKeyError``: a private key file readable by group or others
    ///   (`insecurePermissions`), a manifest naming a missing file (`missingFile`), a file whose key
    ///   does not match its `kid` (`keyMismatch`), an unreadable manifest or key, or an I/O failure.
    public static func loadOrCreate(directory: String) throws(SigningKeyError) -> SigningKeySet {
        try loadOrCreate(directory: directory, now: Date.init)
    }

    /// ``loadOrCreate(directory:)`` with an injectable clock for `created_at`.
    static func loadOrCreate(directory path: String, now: () -> Date) throws(SigningKeyError) -> SigningKeySet {
        let directory = KeyDirectory(path: path)
        try directory.createIfNeeded()
        return try directory.withExclusiveLock { () throws(SigningKeyError) -> SigningKeySet in
            try loadOrCreate(locked: directory, now: now)
        }
    }

    /// ``loadOrCreate(directory:now:)`` once the directory exists and is locked.
    private static func loadOrCreate(locked directory: KeyDirectory, now: () -> Date) throws(SigningKeyError) -> SigningKeySet {
        let manifestExists = directory.exists(SigningKeyManifest.fileName)

        let linkLogKey = try loadOrCreateLinkLogKey(in: directory, firstStart: !manifestExists)

        var manifest = SigningKeyManifest(keys: [])
        if manifestExists {
            let bytes = try directory.readFile(SigningKeyManifest.fileName, secret: false)
            manifest = try SigningKeyManifest.decode(bytes, path: directory.filePath(SigningKeyManifest.fileName))
        }

        var keys = try manifest.keys.map { entry throws(SigningKeyError) in try load(entry, from: directory) }

        var changed = false
        for algorithm in SigningAlgorithm.allCases where manifest.activeEntry(for: algorithm) == nil {
            let key = try createKey(algorithm, in: directory, createdAt: now())
            manifest.keys.append(key.entry)
            keys.append(key)
            changed = true
        }
        if changed {
            try directory.replaceFile(SigningKeyManifest.fileName, contents: manifest.encoded())
        }

        return SigningKeySet(directory: directory.path, manifest: manifest, keys: keys, linkLogKey: linkLogKey)
    }

    /// Assembles a key set; `keys` are in manifest order.
    init(directory: String, manifest: SigningKeyManifest, keys: [SigningKey], linkLogKey: SymmetricKey) {
        self.directory = directory
        self.orderedKeys = keys
        self.keysByID = Dictionary(keys.map { ($0.kid, $0) }, uniquingKeysWith: { first, _ in first })
        var active: [SigningAlgorithm: SigningKey] = [:]
        for algorithm in SigningAlgorithm.allCases {
            if let entry = manifest.activeEntry(for: algorithm) {
                active[algorithm] = keysByID[entry.kid]
            }
        }
        self.activeKeys = active
        self.jwks = JSONWebKeySet(keys: keys.map(\.jwk))
        self.linkLogKey = linkLogKey
    }

    /// The key with this `kid`, if it is one of ours.
    func key(withID kid: String) -> SigningKey? {
        keysByID[kid]
    }

    /// The key that signs with `algorithm`.
    func signingKey(for algorithm: SigningAlgorithm) -> SigningKey? {
        activeKeys[algorithm]
    }

    // MARK: - Files

    /// Loads one manifest entry's private key and checks it against the `kid`.
    static func load(_ entry: SigningKeyManifest.Entry, from directory: KeyDirectory) throws(SigningKeyError) -> SigningKey {
        let path = directory.filePath(entry.file)
        let bytes = try directory.readFile(entry.file, secret: true)
        let privateKey: SigningKey.PrivateKey
        do {
            privateKey = try SigningKey.PrivateKey(pem: String(decoding: bytes, as: UTF8.self), algorithm: entry.algorithm)
        } catch {
            throw SigningKeyError(.malformedKey, path: path, reason: "not a PEM \(entry.algorithm.rawValue) private key")
        }
        guard privateKey.publicKey.thumbprint == entry.kid else {
            throw SigningKeyError(.keyMismatch, path: path, reason: "the key's thumbprint is not the manifest kid \(entry.kid)")
        }
        return SigningKey(entry: entry, privateKey: privateKey)
    }

    /// Generates a key and writes its file (mode 0600); the caller records it in the manifest.
    ///
    /// Rotation is: `createKey`, append its entry, write the manifest; the previous key of the
    /// algorithm stays in the manifest and keeps verifying.
    static func createKey(_ algorithm: SigningAlgorithm, in directory: KeyDirectory, createdAt: Date) throws(SigningKeyError) -> SigningKey {
        let privateKey = SigningKey.PrivateKey.generate(algorithm)
        let kid = privateKey.publicKey.thumbprint
        let entry = SigningKeyManifest.Entry(
            kid: kid,
            algorithm: algorithm,
            file: "\(algorithm.rawValue.lowercased())-\(kid).pem",
            // The manifest stores whole seconds; keep the in-memory value identical to a reload.
            createdAt: wholeSeconds(createdAt),
            retiredAt: nil
        )
        try directory.createSecretFile(entry.file, contents: Array(privateKey.pemRepresentation.utf8))
        return SigningKey(entry: entry, privateKey: privateKey)
    }

    /// `date` truncated to whole seconds, as the manifest stores it.
    static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    /// Reads `link-log.key`, creating it on first start.
    static func loadOrCreateLinkLogKey(in directory: KeyDirectory, firstStart: Bool) throws(SigningKeyError) -> SymmetricKey {
        let name = linkLogKeyFileName
        let path = directory.filePath(name)
        if !directory.exists(name) {
            guard firstStart else {
                throw SigningKeyError(
                    .missingFile, path: path,
                    reason: "missing while \(SigningKeyManifest.fileName) exists; restore it from backup (a new key would make the existing link log unverifiable)"
                )
            }
            let key = SymmetricKey(size: .bits256)
            let encoded = key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
            do {
                try directory.createSecretFile(name, contents: Array(encoded.utf8))
                return key
            } catch {
                // Another process may have created it concurrently; read what is there.
                guard directory.exists(name) else { throw error }
            }
        }
        let bytes = try directory.readFile(name, secret: true)
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let decoded = Data(base64Encoded: text), decoded.count == 32 else {
            throw SigningKeyError(.malformedKey, path: path, reason: "must hold base64 of exactly 32 bytes")
        }
        return SymmetricKey(data: decoded)
    }
}
