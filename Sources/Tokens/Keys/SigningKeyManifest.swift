import Foundation

/// The contents of `signing-keys.json`: every signing key this server has, active or retired.
///
/// ```json
/// {
///   "version": 1,
///   "keys": [
///     { "kid": "…", "alg": "ES256", "file": "es256-….pem",
///       "created_at": "2025-06-01T12:00:00Z", "retired_at": null }
///   ]
/// }
/// ```
///
/// Every key listed verifies; per algorithm the newest key without `retired_at` signs. Rotation
/// appends an entry, retiring sets `retired_at`, pruning removes an entry (and its file).
struct SigningKeyManifest: Sendable, Equatable {
    /// One key.
    struct Entry: Sendable, Equatable {
        var kid: String
        var algorithm: SigningAlgorithm
        /// A file name inside the keys directory.
        var file: String
        var createdAt: Date
        var retiredAt: Date?
    }

    static let fileName = "signing-keys.json"
    static let currentVersion = 1

    var keys: [Entry]

    /// Parses and checks the manifest (file names, duplicate kids, dates).
    static func decode(_ bytes: [UInt8], path: String) throws(SigningKeyError) -> SigningKeyManifest {
        let manifest: SigningKeyManifest
        do {
            manifest = try JSONDecoder().decode(SigningKeyManifest.self, from: Data(bytes))
        } catch let error as SigningKeyError {
            throw error
        } catch {
            throw SigningKeyError(.malformedManifest, path: path, reason: "not a valid manifest: \(Self.describe(error))")
        }
        var seen = Set<String>()
        for entry in manifest.keys {
            guard seen.insert(entry.kid).inserted else {
                throw SigningKeyError(.malformedManifest, path: path, reason: "kid \(entry.kid) is listed twice")
            }
            guard isPlainFileName(entry.file) else {
                throw SigningKeyError(.malformedManifest, path: path, reason: "file \"\(entry.file)\" of kid \(entry.kid) is not a plain file name")
            }
        }
        return manifest
    }

    /// The manifest as pretty-printed JSON, keys sorted, `retired_at` written as `null` when unset.
    func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding strings, integers and optionals cannot fail.
        return Array(try! encoder.encode(self)) + [UInt8(ascii: "\n")]
    }

    /// Active keys are never retired; among several, the newest (then the later entry) wins.
    func activeEntry(for algorithm: SigningAlgorithm) -> Entry? {
        var best: Entry?
        for entry in keys where entry.algorithm == algorithm && entry.retiredAt == nil {
            if let current = best, current.createdAt > entry.createdAt { continue }
            best = entry
        }
        return best
    }

    /// A name with no directory part, so the manifest cannot point outside the keys directory.
    static func isPlainFileName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\0")
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context),
            DecodingError.keyNotFound(_, let context),
            DecodingError.typeMismatch(_, let context),
            DecodingError.valueNotFound(_, let context):
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        default:
            return "invalid JSON"
        }
    }
}

extension SigningKeyManifest: Codable {
    private enum CodingKeys: String, CodingKey {
        case version, keys
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let version = try container.decode(Int.self, forKey: .version)
        guard version == Self.currentVersion else {
            throw DecodingError.dataCorruptedError(forKey: .version, in: container, debugDescription: "unsupported version \(version)")
        }
        self.keys = try container.decode([Entry].self, forKey: .keys)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.currentVersion, forKey: .version)
        try container.encode(keys, forKey: .keys)
    }
}

extension SigningKeyManifest.Entry: Codable {
    private enum CodingKeys: String, CodingKey {
        case kid, alg, file
        case createdAt = "created_at"
        case retiredAt = "retired_at"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kid = try container.decode(String.self, forKey: .kid)
        algorithm = try container.decode(SigningAlgorithm.self, forKey: .alg)
        file = try container.decode(String.self, forKey: .file)
        createdAt = try RFC3339.decode(container, forKey: .createdAt)
        retiredAt = try (!container.contains(.retiredAt) || container.decodeNil(forKey: .retiredAt))
            ? nil : RFC3339.decode(container, forKey: .retiredAt)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kid, forKey: .kid)
        try container.encode(algorithm, forKey: .alg)
        try container.encode(file, forKey: .file)
        try container.encode(RFC3339.format(createdAt), forKey: .createdAt)
        // An explicit null, so operators see the field they may set.
        try container.encode(retiredAt.map(RFC3339.format), forKey: .retiredAt)
    }
}
