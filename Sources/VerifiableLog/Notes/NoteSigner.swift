public import Crypto
import Foundation

/// An Ed25519 private key that signs notes under a name.
///
/// Its text form, the signer key, is `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || seed)>`;
/// it is a secret. ``description`` shows only the name and key ID.
public struct NoteSigner: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The key's name, written into signature lines.
    public let name: String
    /// The key ID, `SHA-256(name || 0x0A || 0x01 || public key)[:4]`.
    public let keyID: UInt32
    private let privateKey: Curve25519.Signing.PrivateKey

    /// Creates a signer from a name and a private key.
    ///
    /// - Parameters:
    ///   - name: The key's name: non-empty, without spaces or plus signs. For a log's checkpoints,
    ///     the log's origin.
    ///   - privateKey: The Ed25519 private key.
    /// - Throws: ``NoteError`` with code `invalidKeyName`.
    public init(name: String, privateKey: Curve25519.Signing.PrivateKey) throws(NoteError) {
        let verifier = try NoteVerifier(name: name, publicKey: privateKey.publicKey)
        self.name = name
        self.keyID = verifier.keyID
        self.privateKey = privateKey
    }

    /// Parses a signer key, `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || 32-byte seed)>`.
    ///
    /// - Parameter signerKey: The signer key text.
    /// - Throws: ``NoteError`` with code `malformedKey`, `invalidKeyName`, `unsupportedAlgorithm`
    ///   or `keyIDMismatch` (the ID does not match the name and the derived public key).
    public init(signerKey: String) throws(NoteError) {
        let (private1, afterPrivate) = NoteSyntax.chop(signerKey[...], at: "+")
        let (private2, afterKey) = afterPrivate.map { NoteSyntax.chop($0, at: "+") } ?? ("", nil)
        guard private1 == "PRIVATE", private2 == "KEY", let afterKey else {
            throw NoteError(.malformedKey, reason: "a signer key is PRIVATE+KEY+<name>+<hex id>+<base64 key>")
        }
        let (name, afterName) = NoteSyntax.chop(afterKey, at: "+")
        guard NoteSyntax.isValidKeyName(name) else {
            throw NoteError(.invalidKeyName, reason: "the signer key's name is not a valid key name")
        }
        let (hexID, encoded) = afterName.map { NoteSyntax.chop($0, at: "+") } ?? ("", nil)
        guard let keyID = NoteSyntax.parseKeyID(hexID), let encoded, let key = Base64.decode(encoded), !key.isEmpty else {
            throw NoteError(.malformedKey, reason: "a signer key is PRIVATE+KEY+<name>+<8 hex digits>+<base64 key>")
        }
        guard key[0] == NoteSyntax.ed25519 else {
            throw NoteError(.unsupportedAlgorithm, reason: "signer key \(name)+\(hexID) has signature type \(key[0]); only Ed25519 (1) is supported")
        }
        guard key.count == 33, let privateKey = try? Curve25519.Signing.PrivateKey(rawRepresentation: key[1...]) else {
            throw NoteError(.malformedKey, reason: "signer key \(name)+\(hexID) does not hold a 32-byte Ed25519 seed")
        }
        try self.init(name: String(name), privateKey: privateKey)
        guard self.keyID == keyID else {
            throw NoteError(.keyIDMismatch, reason: "the key ID of signer key \(name)+\(hexID) does not match its name and key")
        }
    }

    /// Generates a new random key.
    ///
    /// - Parameter name: The key's name: non-empty, without spaces or plus signs.
    /// - Returns: A signer with a fresh Ed25519 key.
    /// - Throws: ``NoteError`` with code `invalidKeyName`.
    public static func generate(name: String) throws(NoteError) -> NoteSigner {
        try NoteSigner(name: name, privateKey: Curve25519.Signing.PrivateKey())
    }

    /// The matching verifier, to publish.
    public var verifier: NoteVerifier {
        // The name was validated when the signer was made, so this cannot fail.
        try! NoteVerifier(name: name, publicKey: privateKey.publicKey)
    }

    /// The signer key text, `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || seed)>`. A secret:
    /// store it like a private key, never log it.
    ///
    /// - Returns: The signer key text.
    public func signerKey() -> String {
        "PRIVATE+KEY+\(name)+\(NoteSyntax.hex(keyID))+\(Base64.encode([NoteSyntax.ed25519] + Array(privateKey.rawRepresentation)))"
    }

    /// Signs a note text.
    ///
    /// - Parameter text: The note text, including its final newline.
    /// - Returns: The signature, ready to become a signature line.
    /// - Throws: ``NoteError`` with code `cryptographyFailed` when the signing operation fails.
    public func signature(for text: String) throws(NoteError) -> NoteSignature {
        let bytes: Data
        do {
            bytes = try privateKey.signature(for: Array(text.utf8))
        } catch {
            throw NoteError(.cryptographyFailed, reason: "Ed25519 signing with key \(name)+\(NoteSyntax.hex(keyID)) failed")
        }
        return try NoteSignature(keyName: name, keyID: keyID, signature: Array(bytes))
    }

    /// `NoteSigner(<name>+<hex key ID>)`; never the key.
    public var description: String {
        "NoteSigner(\(name)+\(NoteSyntax.hex(keyID)))"
    }

    /// The same as ``description``; never the key.
    public var debugDescription: String { description }
}
