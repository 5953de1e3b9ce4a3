public import Crypto
import Foundation

/// A public key that verifies Ed25519 signatures of signed notes.
///
/// Its text form, the verifier key, is `<name>+<hex key ID>+<base64(0x01 || public key)>`, for
/// example `PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW`.
public struct NoteVerifier: Sendable {
    /// The key's name, as it appears in signature lines.
    public let name: String
    /// The key ID, `SHA-256(name || 0x0A || 0x01 || public key)[:4]`.
    public let keyID: UInt32
    /// The Ed25519 public key.
    public let publicKey: Curve25519.Signing.PublicKey

    /// Creates a verifier from a name and a public key.
    ///
    /// - Parameters:
    ///   - name: The key's name: non-empty, without spaces or plus signs.
    ///   - publicKey: The Ed25519 public key.
    /// - Throws: ``NoteError`` with code `invalidKeyName`.
    public init(name: String, publicKey: Curve25519.Signing.PublicKey) throws(NoteError) {
        guard NoteSyntax.isValidKeyName(name) else {
            throw NoteError(.invalidKeyName, reason: "a key name must be non-empty and contain no space, plus sign or control character")
        }
        self.name = name
        self.publicKey = publicKey
        self.keyID = NoteSyntax.keyID(name: name, typeAndPublicKey: [NoteSyntax.ed25519] + Array(publicKey.rawRepresentation))
    }

    /// Parses a verifier key, `<name>+<hex key ID>+<base64(0x01 || public key)>`.
    ///
    /// - Parameter verifierKey: The verifier key text.
    /// - Throws: ``NoteError`` with code `malformedKey` (wrong shape, bad base64, wrong key
    ///   length), `invalidKeyName`, `unsupportedAlgorithm` (type byte other than 0x01) or
    ///   `keyIDMismatch` (the ID does not match the name and key).
    public init(verifierKey: String) throws(NoteError) {
        let (name, afterName) = NoteSyntax.chop(verifierKey[...], at: "+")
        guard let afterName else {
            throw NoteError(.malformedKey, reason: "a verifier key is <name>+<hex id>+<base64 key>")
        }
        let (hexID, encoded) = NoteSyntax.chop(afterName, at: "+")
        guard NoteSyntax.isValidKeyName(name) else {
            throw NoteError(.invalidKeyName, reason: "the verifier key's name is not a valid key name")
        }
        guard let keyID = NoteSyntax.parseKeyID(hexID), let encoded, let key = Base64.decode(encoded), !key.isEmpty else {
            throw NoteError(.malformedKey, reason: "a verifier key is <name>+<8 hex digits>+<base64 key>")
        }
        // Like Go's sumdb/note: the ID covers the type byte, so it is checked before the type.
        guard NoteSyntax.keyID(name: String(name), typeAndPublicKey: key) == keyID else {
            throw NoteError(.keyIDMismatch, reason: "the key ID of verifier key \(name)+\(hexID) does not match its name and key")
        }
        guard key[0] == NoteSyntax.ed25519 else {
            throw NoteError(.unsupportedAlgorithm, reason: "verifier key \(name)+\(hexID) has signature type \(key[0]); only Ed25519 (1) is supported")
        }
        guard key.count == 33, let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: key[1...]) else {
            throw NoteError(.malformedKey, reason: "verifier key \(name)+\(hexID) does not hold a 32-byte Ed25519 public key")
        }
        self.name = String(name)
        self.keyID = keyID
        self.publicKey = publicKey
    }

    /// The verifier key text, `<name>+<hex key ID>+<base64(0x01 || public key)>`.
    public var verifierKey: String {
        "\(name)+\(NoteSyntax.hex(keyID))+\(Base64.encode([NoteSyntax.ed25519] + Array(publicKey.rawRepresentation)))"
    }

    /// Whether a signature by this key is valid for a note's text.
    ///
    /// - Parameters:
    ///   - signature: A parsed signature line.
    ///   - text: The note text, including its final newline.
    /// - Returns: `true` when the signature names this key (name and key ID) and is its Ed25519
    ///   signature of `text`.
    public func isValidSignature(_ signature: NoteSignature, for text: String) -> Bool {
        signature.keyName == name && signature.keyID == keyID
            && publicKey.isValidSignature(signature.signature, for: Array(text.utf8))
    }
}
