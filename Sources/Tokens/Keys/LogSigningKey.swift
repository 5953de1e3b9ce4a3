public import Crypto
import Foundation

/// The Ed25519 key that signs the verifiable link log's checkpoints: `log-signing.key` in the keys
/// directory (base64 of the 32-byte seed, mode 0600), generated on first use.
///
/// It is separate from the token keys: tokens rotate, while an auditor pins the log's verifier
/// key for the life of the log. Losing it does not break the log (checkpoints already issued still
/// verify), but a new key must be announced to every auditor.
public enum LogSigningKey {
    public static let fileName = "log-signing.key"

    /// Reads the key, creating it when it does not exist.
    /// - Throws: `SigningKeyError` when the file is unreadable, readable by others, or malformed.
    public static func loadOrCreate(directory path: String) throws(SigningKeyError) -> Curve25519.Signing.PrivateKey {
        let directory = KeyDirectory(path: path)
        try directory.createIfNeeded()
        return try directory.withExclusiveLock { () throws(SigningKeyError) -> Curve25519.Signing.PrivateKey in
            if !directory.exists(fileName) {
                let key = Curve25519.Signing.PrivateKey()
                try directory.createSecretFile(fileName, contents: Array((key.rawRepresentation.base64EncodedString() + "\n").utf8))
                return key
            }
            let bytes = try directory.readFile(fileName, secret: true)
            let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let seed = Data(base64Encoded: text), seed.count == 32,
                  let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed)
            else {
                throw SigningKeyError(.malformedKey, path: directory.filePath(fileName), reason: "must hold base64 of a 32-byte Ed25519 seed")
            }
            return key
        }
    }
}
